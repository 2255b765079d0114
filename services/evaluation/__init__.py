"""Evaluation above the services: the seeds' extraction check and the multi-outlet corpus scorer."""
