# uevbox — one static multicall binary (musl + zlib).
#
#   make            build ./uevbox with configs/default
#   make check      unit tests of core/ and integration tests of the binary
#   make demo       a safe look at the main job on this machine
#   make size       stripped size, and what each applet adds
#   make install    DESTDIR=... PREFIX=... : binary plus applet symlinks
#   make fuzz       the uevent classifier and the rule parser under libFuzzer
#                   + ASan/UBSan (FUZZ_RUNS executions each)
#   make bench      benchmarks against peers (scripts/bench-*.sh; BENCH=name...)
#   make check-vm   end to end under QEMU (tests/vm): uevbox vs kmod, device nodes
#   make bench-vm   the VM part of the benchmarks alone (scripts/bench-vm.sh)
#
# CONFIG=configs/X picks the applet set; B=DIR builds in another directory
# (the binary is then DIR/uevbox).

CONFIG ?= configs/default
B      ?= build
include $(CONFIG)
.DEFAULT_GOAL := all

ifeq ($(B),build)
BIN ?= uevbox
else
BIN ?= $(B)/uevbox
endif

# scripts/deps.sh installs musl-tools and builds zlib once (cached outside
# the tree); it prints KINC= and ZDIR= which we include.
-include $(B)/deps.mk
$(B)/deps.mk: scripts/deps.sh
	@mkdir -p $(B)
	./scripts/deps.sh > $@.tmp && mv $@.tmp $@

CC      := musl-gcc
HOSTCC  ?= cc
OPT     ?= -Os
WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
CFLAGS  := $(OPT) -std=c11 -D_GNU_SOURCE $(WARN) -ffunction-sections -fdata-sections \
           -fno-asynchronous-unwind-tables -fno-stack-protector \
           -isystem $(KINC) -I$(ZDIR) -Icore -Iapplets -I$(B) $(EXTRA_CFLAGS)
LDFLAGS := -static -Wl,--gc-sections -Wl,-O1 $(EXTRA_LDFLAGS)
LDLIBS  := -L$(ZDIR) -lz

# Data-gatherer parts (issue 4) are optional: core/probe_*.c, input_id.c,
# net_id.c and disk_links.c are built only when the config's GATHER line
# names them (e.g. GATHER = probe_ext probe_vfat input_id).
GATHER_ALL := $(basename $(notdir $(wildcard core/probe_*.c))) input_id net_id disk_links
GATHER_OUT := $(filter-out $(GATHER),$(GATHER_ALL))
CORE_SRC   := $(filter-out $(GATHER_OUT:%=core/%.c),$(sort $(wildcard core/*.c)))
CORE_OBJ   := $(CORE_SRC:%.c=$(B)/%.o)
APPLET_SRC := applets/main.c applets/util.c $(APPLETS:%=applets/%.c)
APPLET_OBJ := $(APPLET_SRC:%.c=$(B)/%.o)
UNIT_SRC   := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ   := $(UNIT_SRC:%.c=$(B)/%.o)

all: $(BIN)

$(B)/%.o: %.c $(B)/deps.mk $(B)/applets.gen.h $(B)/gather.gen.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The one applet table: APPLET_ENTRY(c_ident) for each enabled applet,
# sorted by name.  Rewritten only when the set changes.
$(B)/applets.gen.h: $(CONFIG) FORCE
	@mkdir -p $(B)
	@for a in $(sort $(APPLETS)); do \
		[ -f applets/$$a.c ] || { echo "config $(CONFIG): no applets/$$a.c" >&2; exit 1; }; \
		echo "APPLET_ENTRY($$a)" | tr - _; done > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# The built-in mdev.conf (configs/mdev.conf) as a byte array for core/eng_conf.c.
$(B)/mdev_conf.gen.h: configs/mdev.conf
	@mkdir -p $(B)
	od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g' > $@.tmp && mv $@.tmp $@
$(B)/core/eng_conf.o: $(B)/mdev_conf.gen.h

# GATHER_PROBES lists the probe_<name> tables probe.c walks, in GATHER
# order; GATHER_HAVE_<name> says a part is built in.
$(B)/gather.gen.h: $(CONFIG) FORCE
	@mkdir -p $(B)
	@{ printf '#define GATHER_PROBES'; \
	for g in $(GATHER); do case $$g in probe_*) printf ' GATHER_PROBE(%s)' $${g#probe_};; esac; done; \
	echo; for g in $(GATHER); do echo "#define GATHER_HAVE_$$g 1"; done; } > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(B)/libcore.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(APPLET_OBJ) $(B)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(APPLET_OBJ) $(B)/libcore.a $(LDLIBS)

$(B)/unit: $(UNIT_OBJ) $(B)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(B)/libcore.a $(LDLIBS)

# Test tools: small programs the shell tests drive (never installed).
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOLS    := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)
$(B)/tools/%: tests/tools/%.c $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libcore.a $(LDLIBS)

unit: $(B)/unit
	$(B)/unit

TEST_ENV = UEVBOX=$(abspath $(BIN)) TOOLS=$(abspath $(B)/tools) BUILD=$(abspath $(B))
itest: $(BIN) $(TOOLS)
	$(TEST_ENV) sh tests/sh/run.sh $(T)

check: $(B)/unit $(BIN) $(TOOLS)
	@sh scripts/test-deps.sh
	@echo "== unit tests (core/)"; $(B)/unit; u=$$?; \
	echo "== integration tests (tests/sh)"; $(TEST_ENV) sh tests/sh/run.sh; i=$$?; \
	test $$u = 0 -a $$i = 0

demo: $(BIN)
	sh scripts/demo.sh $(abspath $(BIN))

size: $(BIN)
	sh scripts/size.sh $(abspath $(BIN)) "$(APPLETS)" $(CONFIG)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/uevbox
	for a in $(APPLETS); do ln -sf uevbox $(DESTDIR)$(BINDIR)/$$a; done

FUZZ_RUNS ?= 200000
fuzz:
	B=$(B) sh scripts/fuzz.sh $(FUZZ_RUNS)

bench: $(BIN)
	sh scripts/bench.sh $(abspath $(BIN)) $(BENCH)

# End to end under QEMU: Debian's kernel, its modules, ~30 emulated devices
# (tests/vm/run.sh; needs root for apt-get on the first run, then cached).
check-vm: $(BIN)
	bash tests/vm/run.sh -b $(abspath $(BIN))

bench-vm: $(BIN)
	bash scripts/bench-vm.sh $(abspath $(BIN))

clean:
	rm -rf $(B) $(BIN)

FORCE:
.PHONY: all unit itest check demo size install fuzz bench check-vm bench-vm clean FORCE
-include $(CORE_OBJ:.o=.d) $(APPLET_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
