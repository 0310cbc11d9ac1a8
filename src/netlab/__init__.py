"""netlab: the code behind the labs of the networking course."""
