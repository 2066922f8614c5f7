"""newsbot: a scheduled, deduplicated scraper of Deutsche Welle (dw.com) articles."""
