"""Model loading: the model pool, pinned weight files shipped in packages, the TF.js reader and architecture code the tools' models need."""
