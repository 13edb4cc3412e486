/* Trend maths: known slopes, noise, oscillation, outliers, too few points,
 * short spans, flat and noise-only series, medians, OLS. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analyze/trend.h"

static uint64_t lcg = 42;
static double noise(void) /* deterministic, roughly uniform in [-1, 1] */
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(lcg >> 11) / (double)(1ull << 53) * 2 - 1;
}

static mf_fit robust(const double *t, const double *y, size_t n)
{
    double scratch[2 * 2000];
    mf_fit f;
    mf_fit_robust(t, y, n, scratch, &f);
    mf_fit_judge(&f, true);
    return f;
}

static void known_slope(void **state)
{
    (void)state;
    double t[25], y[25];
    for (int i = 0; i < 25; i++) {
        t[i] = i * 3600.0;
        y[i] = 5 + 2 * t[i];
    }
    mf_fit f = robust(t, y, 25);
    assert_true(f.valid);
    assert_true(fabs(f.slope - 2) < 1e-9);
    assert_true(fabs(f.intercept - 5) < 1e-6);
    assert_true(f.r2 > 0.9999);
    assert_true(f.claim);
    assert_null(f.limit);
}

static void noisy_slope(void **state)
{
    (void)state;
    double t[200], y[200];
    for (int i = 0; i < 200; i++) {
        t[i] = i * 600.0;
        y[i] = 100000 + 0.5 * t[i] + 2000 * noise(); /* 1800 kB/h */
    }
    mf_fit f = robust(t, y, 200);
    assert_true(fabs(f.slope * 3600 - 1800) < 180);
    assert_true(f.claim);
}

/* 002: ~2 KB per iteration, hidden under a stress test that swings memory
 * by far more than it leaks in an hour. */
static void oscillation_hides_slow_leak(void **state)
{
    (void)state;
    double t[145], y[145];
    for (int i = 0; i < 145; i++) {
        t[i] = i * 600.0;
        y[i] = 1500000 - 50000 * t[i] / 3600 +
               200000 * sin(2 * 3.14159265358979 * t[i] / 2700) + 30000 * noise();
    }
    mf_fit f = robust(t, y, 145);
    assert_true(fabs(f.slope * 3600 + 50000) < 7500);
    assert_true(f.r2 >= MF_TREND_MIN_R2);
    assert_true(f.claim);
    /* ordinary least squares over the raw points fits far worse */
    mf_fit o;
    mf_fit_ols(t, y, 145, &o);
    assert_true(o.r2 < f.r2);
}

static void outliers_do_not_move_it(void **state)
{
    (void)state;
    double t[48], y[48];
    for (int i = 0; i < 48; i++) {
        t[i] = i * 1800.0;
        y[i] = 1000 + t[i] / 360; /* 10 per hour */
    }
    y[5] = 1e9;
    y[30] = -1e9;
    y[31] = 5e8;
    mf_fit f = robust(t, y, 48);
    assert_true(fabs(f.slope * 3600 - 10) < 0.5);
    mf_fit o;
    mf_fit_ols(t, y, 48, &o);
    assert_true(fabs(o.slope * 3600 - 10) > 100); /* OLS is dragged away */
}

static void too_few_points(void **state)
{
    (void)state;
    double t[5] = {0, 3600, 7200, 10800, 14400}, y[5] = {1, 2, 3, 4, 5};
    mf_fit f = robust(t, y, 5);
    assert_false(f.claim);
    assert_string_equal(f.limit, "too-few-points");
    mf_fit one;
    assert_int_equal(mf_fit_robust(t, y, 1, (double[2]){0}, &one), -1);
    mf_fit_judge(&one, true);
    assert_string_equal(one.limit, "too-few-points");
}

static void span_under_an_hour(void **state)
{
    (void)state;
    double t[10], y[10];
    for (int i = 0; i < 10; i++) {
        t[i] = i * 180.0;
        y[i] = i * 100.0;
    }
    mf_fit f = robust(t, y, 10);
    assert_false(f.claim);
    assert_string_equal(f.limit, "span-under-1h");
}

static void flat_and_noise_only(void **state)
{
    (void)state;
    double t[30], y[30];
    for (int i = 0; i < 30; i++) {
        t[i] = i * 900.0;
        y[i] = 777;
    }
    mf_fit f = robust(t, y, 30);
    assert_false(f.claim);
    assert_string_equal(f.limit, "no-change");
    for (int i = 0; i < 30; i++)
        y[i] = 1000 + 50 * noise();
    f = robust(t, y, 30);
    assert_false(f.claim);
    assert_string_equal(f.limit, "poor-fit");
}

static void small_change(void **state)
{
    (void)state;
    double t[12], y[12];
    for (int i = 0; i < 12; i++) {
        t[i] = i * 3600.0;
        y[i] = 1000000 + 100 * i; /* perfectly linear, 0.1 % in 11 h */
    }
    mf_fit f = robust(t, y, 12);
    assert_true(f.r2 > 0.99);
    assert_true(f.claim); /* one series: a clean trend is a trend */
    mf_fit_judge_ranked(&f, true);
    assert_false(f.claim); /* one of many: too small to name */
    assert_string_equal(f.limit, "small-change");
}

static void untimed_series(void **state)
{
    (void)state;
    double t[8], y[8];
    for (int i = 0; i < 8; i++) {
        t[i] = i;
        y[i] = 10 * i;
    }
    double scratch[16];
    mf_fit f;
    mf_fit_robust(t, y, 8, scratch, &f);
    mf_fit_judge(&f, false);
    assert_false(f.claim);
    assert_string_equal(f.limit, "no-time");
}

/* A reset (reboot) inside one segment would look like a drop: the series
 * stage splits it; the fit over the last segment alone keeps the slope. */
static void reset_then_regrow(void **state)
{
    (void)state;
    double t[12], y[12];
    for (int i = 0; i < 12; i++) {
        t[i] = i * 1800.0;
        y[i] = 500 + 100 * i;
    }
    mf_fit f = robust(t, y, 12);
    assert_true(fabs(f.slope * 1800 - 100) < 1e-6);
}

static void medians_and_ols(void **state)
{
    (void)state;
    double a[] = {5, 1, 4, 2, 3};
    assert_true(mf_median(a, 5) == 3);
    double b[] = {8, 1, 7, 2};
    assert_true(mf_median(b, 4) == 4.5);
    double c[] = {2, 2, 2, 1, 1, 1};
    assert_true(mf_median(c, 6) == 1.5);
    double t[] = {0, 1, 2, 3}, y[] = {1, 3, 5, 7};
    mf_fit o;
    assert_int_equal(mf_fit_ols(t, y, 4, &o), 0);
    assert_true(fabs(o.slope - 2) < 1e-12 && fabs(o.intercept - 1) < 1e-12);
    double tt[] = {3, 3, 3};
    assert_int_equal(mf_fit_ols(tt, y, 3, &o), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_slope),
        cmocka_unit_test(noisy_slope),
        cmocka_unit_test(oscillation_hides_slow_leak),
        cmocka_unit_test(outliers_do_not_move_it),
        cmocka_unit_test(too_few_points),
        cmocka_unit_test(span_under_an_hour),
        cmocka_unit_test(flat_and_noise_only),
        cmocka_unit_test(small_change),
        cmocka_unit_test(untimed_series),
        cmocka_unit_test(reset_then_regrow),
        cmocka_unit_test(medians_and_ols),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
