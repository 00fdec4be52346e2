"""flopscope's benchmarks: overhead, einsum paths and execution, and the calibration runner."""
