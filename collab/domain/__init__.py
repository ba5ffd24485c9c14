"""What Common Ground knows about SRO agreements, as data shipped with the code."""
