"""Every read and write the app does. The CLI and the TUI call these; nothing else
touches a connection."""
