#include "analyze/trend.h"

#include <math.h>
#include <string.h>

/* k-th smallest (0-based), Hoare selection; reorders v. */
static double select_k(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double x = v[i];
                v[i] = v[j];
                v[j] = x;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

double mf_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double hi = select_k(v, n, n / 2);
    if (n % 2)
        return hi;
    double lo = v[0];
    for (size_t i = 1; i < n / 2; i++) /* max of the lower half */
        if (v[i] > lo)
            lo = v[i];
    return (lo + hi) / 2;
}

static double r2_of(const double *t, const double *y, size_t n, double slope,
                    double icpt)
{
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)n;
    double ssr = 0, sst = 0;
    for (size_t i = 0; i < n; i++) {
        double e = y[i] - (icpt + slope * t[i]);
        ssr += e * e;
        sst += (y[i] - mean) * (y[i] - mean);
    }
    if (sst <= 0)
        return NAN;
    double r2 = 1 - ssr / sst;
    return r2 < 0 ? 0 : r2;
}

int mf_fit_ols(const double *t, const double *y, size_t n, mf_fit *out)
{
    memset(out, 0, sizeof *out);
    out->n = (uint32_t)n;
    out->r2 = NAN;
    if (n < 2)
        return -1;
    double mt = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mt += t[i];
        my += y[i];
    }
    mt /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (t[i] - mt) * (y[i] - my);
        sxx += (t[i] - mt) * (t[i] - mt);
    }
    out->span_s = t[n - 1] - t[0];
    out->t0 = t[0];
    if (sxx <= 0)
        return -1;
    out->slope = sxy / sxx;
    out->intercept = my - out->slope * mt;
    out->r2 = r2_of(t, y, n, out->slope, out->intercept);
    out->valid = true;
    return 0;
}

int mf_fit_robust(const double *t, const double *y, size_t n, double *scratch,
                  mf_fit *out)
{
    memset(out, 0, sizeof *out);
    out->n = (uint32_t)n;
    out->r2 = NAN;
    if (n < 2)
        return -1;
    double t0 = t[0], t1 = t[0];
    for (size_t i = 1; i < n; i++) {
        if (t[i] < t0) t0 = t[i];
        if (t[i] > t1) t1 = t[i];
    }
    out->span_s = t1 - t0;
    out->t0 = t0;
    if (t1 <= t0)
        return -1;
    size_t nb = n < MF_TREND_BUCKETS ? n : MF_TREND_BUCKETS;
    double bt[MF_TREND_BUCKETS], by[MF_TREND_BUCKETS];
    size_t m = 0;
    /* counting sort of the points into buckets, by time */
    size_t cnt[MF_TREND_BUCKETS + 1] = {0};
    double width = (t1 - t0) / (double)nb;
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)((t[i] - t0) / width);
        cnt[(b >= nb ? nb - 1 : b) + 1]++;
    }
    for (size_t b = 1; b <= nb; b++)
        cnt[b] += cnt[b - 1];
    size_t pos[MF_TREND_BUCKETS];
    memcpy(pos, cnt, sizeof pos);
    double *st = scratch, *sy = scratch + n;
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)((t[i] - t0) / width);
        if (b >= nb)
            b = nb - 1;
        st[pos[b]] = t[i];
        sy[pos[b]] = y[i];
        pos[b]++;
    }
    for (size_t b = 0; b < nb; b++) {
        size_t k = cnt[b + 1] - cnt[b];
        if (!k)
            continue;
        bt[m] = mf_median(st + cnt[b], k);
        by[m] = mf_median(sy + cnt[b], k);
        m++;
    }
    if (m < 2)
        return -1;
    /* Theil-Sen over the bucket medians */
    double slopes[MF_TREND_BUCKETS * (MF_TREND_BUCKETS - 1) / 2];
    size_t ns = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t j = i + 1; j < m; j++)
            if (bt[j] != bt[i])
                slopes[ns++] = (by[j] - by[i]) / (bt[j] - bt[i]);
    if (!ns)
        return -1;
    out->slope = mf_median(slopes, ns);
    double res[MF_TREND_BUCKETS];
    for (size_t i = 0; i < m; i++)
        res[i] = by[i] - out->slope * bt[i];
    out->intercept = mf_median(res, m);
    out->r2 = r2_of(bt, by, m, out->slope, out->intercept);
    out->valid = true;
    return 0;
}

static void judge(mf_fit *f, bool timed, double min_change)
{
    f->claim = false;
    if (f->n < MF_TREND_MIN_POINTS)
        f->limit = "too-few-points";
    else if (!timed)
        f->limit = "no-time";
    else if (!f->valid || f->span_s < MF_TREND_MIN_SPAN_S)
        f->limit = "span-under-1h";
    else if (f->slope == 0 || isnan(f->r2))
        f->limit = "no-change";
    else if (f->r2 < MF_TREND_MIN_R2)
        f->limit = "poor-fit";
    else if (fabs(f->slope * f->span_s) <
             min_change *
                 fabs(f->intercept + f->slope * (f->t0 + f->span_s / 2)))
        f->limit = "small-change";
    else {
        f->limit = NULL;
        f->claim = true;
    }
}

void mf_fit_judge(mf_fit *f, bool timed)
{
    judge(f, timed, 0);
}

void mf_fit_judge_ranked(mf_fit *f, bool timed)
{
    judge(f, timed, MF_TREND_MIN_CHANGE);
}
