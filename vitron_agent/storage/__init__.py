"""Where artifacts and state live: the content-addressed artifact store, its codecs and writer, the object store (S3) and PostgreSQL."""
