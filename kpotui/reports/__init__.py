"""``kpotui report``: the insight queries as reports (:mod:`.catalogue`), rendered as text,
Markdown or JSON (:mod:`.render`)."""
