"""LocalGov Talent Pool: UK councils lend each other their officers' spare hours."""
