"""Home, help and the pages that explain Kettle."""
