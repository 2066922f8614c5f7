"""The spiders of newsbot (one: `dw`)."""
