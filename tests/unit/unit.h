/* unit.h — the unit-test harness for core/.  Each tests/unit/test_*.c
 * defines cases with TEST(name) { ... CHECK(...); }; they register
 * themselves, so adding a file is all it takes.  The runner prints one line
 * per failed check and ends with "N passed, N failed, N skipped" (cases). */
#ifndef UEVBOX_UNIT_H
#define UEVBOX_UNIT_H

#include <stdint.h>
#include <string.h>

struct unit_case {
	const char *name;
	const char *file;
	void (*fn)(void);
	struct unit_case *next;
};

void unit_register(struct unit_case *c);
int unit_check(int ok, const char *expr, const char *file, int line);
int unit_check_int(long long got, long long want, const char *expr, const char *file, int line);
void unit_skip(const char *why, const char *file, int line);
/* Write text to DIR/REL (created or truncated), for fixture trees; a
 * failure shows up as the case's own checks failing. */
void unit_put(const char *dir, const char *rel, const char *text);
int unit_check_str(const char *got, const char *want, const char *expr, const char *file, int line);

#define TEST(n) \
	static void n(void); \
	static struct unit_case n##_case = { #n, __FILE__, n, 0 }; \
	__attribute__((constructor)) static void n##_reg(void) { unit_register(&n##_case); } \
	static void n(void)

#define CHECK(e)         unit_check(!!(e), #e, __FILE__, __LINE__)
#define CHECK_INT(g, w)  unit_check_int((long long)(g), (long long)(w), #g, __FILE__, __LINE__)
#define CHECK_STR(g, w)  unit_check_str((g), (w), #g, __FILE__, __LINE__)

/* End the case as skipped, saying why (e.g. needs root). */
#define SKIP(why) do { unit_skip((why), __FILE__, __LINE__); return; } while (0)

/* A byte-exact datagram from a string literal, NULs included. */
#define BYTES(lit) (lit), (sizeof(lit) - 1)

#endif
