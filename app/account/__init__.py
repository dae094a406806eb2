"""/account: one place for everything a signed-in person has on Kettle."""
