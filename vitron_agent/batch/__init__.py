"""Batch runs over folders and object stores: the job, its result log, the local worker pool, Ray Data and remote inputs."""
