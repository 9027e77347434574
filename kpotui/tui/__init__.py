"""The Textual front end: screens, dialogs and widgets over the services layer."""
