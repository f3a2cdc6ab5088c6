"""The NSC dashboard: where things stand in one look, every number linked to the register."""
