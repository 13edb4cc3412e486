/* The fact registry and the module table agree: every fact names kinds that
 * a module produces, paths are unique and sorted, types are known; every
 * module kind is a well-formed name and appears once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "memforensics.h"
#include "parse/module.h"

static bool module_kind_exists(const char *kind, size_t len)
{
    for (size_t i = 0; mf_modules[i]; i++)
        if (strlen(mf_modules[i]->kind) == len &&
            memcmp(mf_modules[i]->kind, kind, len) == 0)
            return true;
    return false;
}

static void facts_are_sorted_unique_and_typed(void **state)
{
    (void)state;
    static const char *const types[] = {"string", "integer", "number", "boolean",
                                        "list", "map", "object", "scalar", NULL};
    assert_true(mf_fact_count() > 0);
    for (size_t i = 0; i < mf_fact_count(); i++) {
        const mf_fact_info *f = mf_fact_at(i);
        if (i > 0 && strcmp(mf_fact_at(i - 1)->path, f->path) >= 0)
            fail_msg("facts out of order or repeated: %s, %s",
                     mf_fact_at(i - 1)->path, f->path);
        bool known = false;
        for (int t = 0; types[t]; t++)
            known |= strcmp(types[t], f->type) == 0;
        if (!known)
            fail_msg("%s: unknown type %s", f->path, f->type);
        if (!f->description[0])
            fail_msg("%s: no description", f->path);
    }
    assert_null(mf_fact_at(mf_fact_count()));
}

static void fact_kinds_are_module_kinds(void **state)
{
    (void)state;
    for (size_t i = 0; i < mf_fact_count(); i++) {
        const mf_fact_info *f = mf_fact_at(i);
        if (strcmp(f->kinds, "*") == 0)
            continue;
        const char *p = f->kinds;
        while (*p) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (!module_kind_exists(p, n))
                fail_msg("%s: kind '%.*s' has no module", f->path, (int)n, p);
            p += n + (e ? 1 : 0);
        }
    }
}

static void module_kinds_are_unique_names(void **state)
{
    (void)state;
    for (size_t i = 0; mf_modules[i]; i++) {
        const char *k = mf_modules[i]->kind;
        assert_true(strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(k));
        for (size_t j = 0; j < i; j++)
            if (strcmp(mf_modules[j]->kind, k) == 0)
                fail_msg("kind %s registered twice", k);
        assert_non_null(mf_modules[i]->bid);
        /* a parsed kind reads raw lines or log messages, not both */
        assert_false(mf_modules[i]->line && mf_modules[i]->message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(facts_are_sorted_unique_and_typed),
        cmocka_unit_test(fact_kinds_are_module_kinds),
        cmocka_unit_test(module_kinds_are_unique_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
