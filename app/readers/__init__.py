"""What each reader has chosen to see: content-note choices and discreet titles."""
