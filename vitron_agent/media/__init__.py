"""Media in and out of arrays: safe image decoding, video and audio files, synthetic samples, pixel drawing."""
