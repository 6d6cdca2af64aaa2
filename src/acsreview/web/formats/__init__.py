"""Date formats of our own where Django's do not suit a European readership.

Django's English dates are American ("Nov. 27, 2026"); the tool's readers are European, so
English long dates read "27 November 2026", as in British usage. French and German keep
Django's own ("27 novembre 2026", "27. November 2026"). Short dates in tables and forms
are ISO (YYYY-MM-DD) in every language, written as such in the templates.
"""
