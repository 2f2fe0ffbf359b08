#ifndef ARSCORE_COPENBLAS_SHIM_H
#define ARSCORE_COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
