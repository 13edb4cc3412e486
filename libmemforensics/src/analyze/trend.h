/* trend.h - the trend maths of snapshot series.
 *
 * mf_fit_robust: the points are grouped into at most MF_TREND_BUCKETS
 * equal time buckets; each bucket gives its median time and value, and the
 * slope is the Theil-Sen estimator (median of pairwise slopes) over the
 * bucket medians, the intercept the median residual. R² is that of the
 * line against the bucket medians. A stress test that makes memory
 * oscillate by far more than it leaks per hour moves each bucket's median
 * little, so a slow trend shows through; one outlier moves neither the
 * medians nor the median slope. Cost: O(n) plus O(B²) with B ≤ 24.
 *
 * mf_fit_judge decides whether the fit supports a claim: at least
 * MF_TREND_MIN_POINTS points, a span of at least MF_TREND_MIN_SPAN_S
 * seconds, R² ≥ MF_TREND_MIN_R2 and a non-zero slope; otherwise `limit`
 * names the first limit that applied. mf_fit_judge_ranked adds, for the
 * ranked lists of many parallel series (slab caches, processes, callers,
 * paths), a fitted change over the span of at least MF_TREND_MIN_CHANGE of
 * the level: among a hundred caches a few points of noise line up by
 * chance, and a drift of 3 % in 8 hours is no finding. */
#ifndef MF_TREND_H
#define MF_TREND_H

#include <stddef.h>

#include "model/snapfind.h"

#define MF_TREND_BUCKETS 24
#define MF_TREND_MIN_POINTS 6
#define MF_TREND_MIN_SPAN_S 3600.0
#define MF_TREND_MIN_R2 0.6
#define MF_TREND_MIN_CHANGE 0.05

/* Ordinary least squares. Returns 0, or -1 with fewer than 2 distinct t. */
int mf_fit_ols(const double *t, const double *y, size_t n, mf_fit *out);
/* Robust fit (above). `scratch` holds 2*n doubles. Returns 0 or -1. */
int mf_fit_robust(const double *t, const double *y, size_t n, double *scratch,
                  mf_fit *out);
/* Set claim/limit. `timed` is false for a series in order of appearance. */
void mf_fit_judge(mf_fit *f, bool timed);
void mf_fit_judge_ranked(mf_fit *f, bool timed);

/* Median of v[0..n) (reorders v). */
double mf_median(double *v, size_t n);

#endif
