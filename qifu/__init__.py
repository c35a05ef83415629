import os

# Numeric libraries serve one request per thread here (gunicorn runs workers × threads): a BLAS
# or OpenMP pool per process only spins against the others. Measured: the assistant's
# 10,000 × 384 matrix-vector product took 37 ms with OpenBLAS's threads on a busy 2-core
# machine, 0.6 ms with one. Set before anything imports numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
