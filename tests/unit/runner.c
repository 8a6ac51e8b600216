/* runner.c — runs every registered unit case (optionally only those whose
 * name contains argv[1]) and prints "N passed, N failed, N skipped". */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static struct unit_case *cases;
static int case_failed, case_skipped;

void unit_register(struct unit_case *c)
{
	struct unit_case **p = &cases;

	/* keep registration order stable: file order from the linker */
	while (*p)
		p = &(*p)->next;
	*p = c;
}

int unit_check(int ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		printf("  FAIL %s:%d: %s\n", file, line, expr);
		case_failed = 1;
	}
	return ok;
}

void unit_skip(const char *why, const char *file, int line)
{
	printf("  skip %s:%d: %s\n", file, line, why);
	case_skipped = 1;
}

void unit_put(const char *dir, const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, rel);
	f = fopen(p, "w");
	if (!f) {
		printf("  unit_put %s: cannot write\n", p);
		return;
	}
	fputs(text, f);
	fclose(f);
}

int unit_check_int(long long got, long long want, const char *expr, const char *file, int line)
{
	if (got != want) {
		printf("  FAIL %s:%d: %s == %lld, want %lld\n", file, line, expr, got, want);
		case_failed = 1;
	}
	return got == want;
}

int unit_check_str(const char *got, const char *want, const char *expr, const char *file, int line)
{
	int ok = (got && want) ? !strcmp(got, want) : got == want;

	if (!ok) {
		printf("  FAIL %s:%d: %s == \"%s\", want \"%s\"\n", file, line, expr,
		       got ? got : "(null)", want ? want : "(null)");
		case_failed = 1;
	}
	return ok;
}

int main(int argc, char **argv)
{
	struct unit_case *c;
	int passed = 0, failed = 0, skipped = 0;

	for (c = cases; c; c = c->next) {
		if (argc > 1 && !strstr(c->name, argv[1]))
			continue;
		case_failed = case_skipped = 0;
		c->fn();
		if (case_failed) {
			printf("FAIL %s (%s)\n", c->name, c->file);
			failed++;
		} else if (case_skipped) {
			printf("SKIP %s (%s)\n", c->name, c->file);
			skipped++;
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
