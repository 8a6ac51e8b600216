/* fuzz_rule.c — libFuzzer target for the mdev.conf parser and the planner:
 * any bytes as a config, then one fixed event planned against the rules
 * (matching, %N substitution, placement and path checks).
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Icore \
 *     -Ibuild -o fuzz_rule tests/fuzz/fuzz_rule.c core/rule_*.c \
 *     core/eng_plan.c core/dev_path.c core/uev.c
 * (needs build/mdev_conf.gen.h only if eng_conf.c is added.) */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "eng.h"
#include "rule.h"
#include "uev.h"

static const char ev_buf[] = "ACTION=add\0DEVPATH=/devices/pci0/blk/vdb1\0SUBSYSTEM=block\0"
			     "MAJOR=252\0MINOR=17\0DEVNAME=vdb1\0DEVTYPE=partition\0"
			     "MODALIAS=pci:v1\0";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rule_ids ids = { "/nonexistent" };	/* numbers only: no file reads */
	struct rule_set rs;
	struct uevent ev;
	struct engine e;
	struct eng_plan *p = NULL;
	unsigned bad = 0;

	memset(&rs, 0, sizeof rs);
	rule_parse(&rs, "fuzz.conf", (const char *)data, size, &ids);
	if (uev_parse_vars(&ev, ev_buf, sizeof ev_buf - 1) == UEV_OK) {
		memset(&e, 0, sizeof e);
		e.rules = &rs;
		e.root.fd = -1;
		if (eng_plan(&e, &ev, &p, &bad) == 0)
			eng_plan_free(p);
	}
	rule_free(&rs);
	return 0;
}
