"""Your account: its pages, signing in, export and deletion, which reach into everything."""
