# SPDX-License-Identifier: GPL-2.0
#
#   make            build build/chbench
#   make bench      the main job (QUICK=1 for a one-minute run)
#   make report     report.txt and plots from results (RESULTS="dir ...")
#   make test       build and run the tests; ends with "N passed, N failed"
#   make clean
#
# make CC=clang builds with clang (and clang++ for the one C++ file).

CC		?= gcc
ifeq ($(origin CC),default)
CC		:= gcc
endif
ifneq ($(findstring clang,$(notdir $(CC))),)
CXX		:= $(subst clang,clang++,$(CC))
else ifneq ($(findstring gcc,$(notdir $(CC))),)
CXX		:= $(subst gcc,g++,$(CC))
endif

O		:= build
OPT		:= -O2 -fno-strict-aliasing
WARN		:= -Wall -Wextra
GIT_REV		:= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
# DWARF 4: valgrind 3.19 cannot read clang 14's DWARF 5 (chbench sim)
CFLAGS_BASE	:= $(OPT) -gdwarf-4 $(WARN) -std=gnu11
CFLAGS		+= $(CFLAGS_BASE) -I. -D_GNU_SOURCE -DCH_CFLAGS='"$(CFLAGS_BASE)"'
CXXFLAGS	+= $(OPT) -gdwarf-4 $(WARN) -std=c++17 -I.
LDLIBS		:= -lbenchmark -lpfm -lgsl -lgslcblas -lpthread -lm

VARIANT_SRC	:= $(wildcard variants/*.c)
HARNESS_SRC	:= $(filter-out harness/main.c,$(wildcard harness/*.c))
LIB_OBJ		:= $(patsubst %.c,$(O)/%.o,$(VARIANT_SRC) $(HARNESS_SRC)) \
		   $(O)/harness/gbench.o
TEST_SRC	:= $(wildcard tests/test_*.c)
TEST_BIN	:= $(patsubst tests/%.c,$(O)/tests/%,$(TEST_SRC)) \
		   $(O)/tests/registry_standalone

all: $(O)/chbench

# Rebuild everything when the compiler or flags change.
$(O)/.stamp: FORCE
	@mkdir -p $(O)
	@echo '$(CC) $(CXX) $(CFLAGS) $(CXXFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CXX) $(CFLAGS) $(CXXFLAGS)' > $@

# Only the objects that record the revision see it, so a commit does not
# rebuild everything.
$(O)/.git-rev: FORCE
	@mkdir -p $(O)
	@echo '$(GIT_REV)' | cmp -s - $@ || echo '$(GIT_REV)' > $@
$(O)/harness/sysinfo.o $(O)/tests/test_sysinfo.o: $(O)/.git-rev
$(O)/harness/sysinfo.o $(O)/tests/test_sysinfo.o: \
	CFLAGS += -DCH_GIT_REV='"$(GIT_REV)"'

$(O)/%.o: %.c $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(O)/%.o: %.cc $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -MMD -MP -c $< -o $@

$(O)/libchbench.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(O)/chbench: $(O)/harness/main.o $(O)/libchbench.a
	$(CXX) -o $@ $^ $(LDLIBS)

$(O)/tests/%: $(O)/tests/%.o $(O)/libchbench.a
	$(CXX) -o $@ $^ -lcmocka $(LDLIBS)

# CC=clang: clang too, so 'make test CC=clang' works on a fresh machine
# The registry links on its own, as outside checks build it:
# cc -O2 -I. some_test.c variants/*.c
$(O)/tests/registry_standalone: tests/standalone/registry.c \
		$(VARIANT_SRC) $(wildcard variants/*.h) $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CC) -O2 -I. -o $@ tests/standalone/registry.c $(VARIANT_SRC) -lcmocka

deps:
	@scripts/deps $(if $(findstring clang,$(notdir $(CC))),clang)

test: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@CHBENCH=$(O)/chbench tests/run $(TEST_BIN)

# QUICK=1: a one-minute run; CPU=N pins to CPU N; BENCH_ARGS passes
# anything else, e.g. BENCH_ARGS=--benchmark_filter=mixed
bench: deps
	@$(MAKE) --no-print-directory all
	$(O)/chbench verify --mem 1G > /dev/null
	$(O)/chbench bench $(if $(QUICK),--quick) $(if $(CPU),--cpu $(CPU)) \
		$(BENCH_ARGS)

# report.txt and plots/ into a results directory (the newest under
# results/ unless RESULTS="dir ..."; several are compared side by side).
# REPORT_ARGS passes options, e.g. REPORT_ARGS='--baseline pointer@none'.
# A missing package is named; as root it is installed.
report:
	@scripts/deps || true
	@$(MAKE) --no-print-directory all
	@CHBENCH=$(O)/chbench scripts/report $(REPORT_ARGS) $(RESULTS)

# Simulated counters (valgrind) for every variant and shape; SIM_ARGS
# passes scenario options, e.g. SIM_ARGS='--mem 1G --seed 2'
sim: deps
	@$(MAKE) --no-print-directory all
	@scripts/sim-table $(O)/chbench $(SIM_ARGS)

# Each variant's code in its walk loop, marked against the floor's, with
# counts; ASM_ARGS passes options, e.g. ASM_ARGS='--variant pointer' or
# ASM_ARGS=--key-sites. O=build-clang CC=clang shows clang's.
asm: all
	@$(O)/chbench asm $(ASM_ARGS)

# arm64 with Debian's cross compiler: every C file is compiled, and
# build-arm64/chbench-verify (list, verify, asm, footprint) is linked
# static from the ones that need neither Google Benchmark nor libpfm4,
# whose arm64 libraries cannot be installed next to the host's.
# arm64-verify runs it under qemu-user.
ARM64_CC	:= aarch64-linux-gnu-gcc
ARM64_O		:= build-arm64
C_OBJ		:= $(patsubst %.c,$(O)/%.o,$(VARIANT_SRC) $(HARNESS_SRC))
VERIFY_OBJ	:= $(patsubst %.c,$(O)/%.o,$(VARIANT_SRC) \
		   $(addprefix harness/,cmd_asm.c cmd_footprint.c cmd_list.c \
		   cmd_verify.c disasm.c folios.c footprint.c memmap.c mix.c \
		   opts.c units.c verify.c walk.c walkasm.c walkfn.c))

$(O)/harness/main-verify.o: harness/main.c $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DCH_VERIFY_ONLY -MMD -MP -c $< -o $@

$(O)/chbench-verify: $(O)/harness/main-verify.o $(VERIFY_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

# every C object, linked or not
$(O)/.c-objs: $(C_OBJ)
	@touch $@

arm64:
	@scripts/deps gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	@$(MAKE) --no-print-directory O=$(ARM64_O) CC=$(ARM64_CC) \
		LDFLAGS=-static $(ARM64_O)/.c-objs $(ARM64_O)/chbench-verify

# qemu-user runs the binary on the host's kernel: 4 KiB pages, the host's
# vm.max_map_count, memfd and MAP_FIXED aliases as on x86-64. The host's
# objdump cannot read arm64 code, hence CHBENCH_OBJDUMP.
ARM64_RUN	:= CHBENCH_OBJDUMP=aarch64-linux-gnu-objdump qemu-aarch64 \
		   $(ARM64_O)/chbench-verify
arm64-verify: arm64
	@scripts/deps qemu-user binutils-aarch64-linux-gnu
	$(ARM64_RUN) list > $(ARM64_O)/list.txt
	@grep '^Static key' $(ARM64_O)/list.txt
	$(ARM64_RUN) verify --mem 1G
	$(ARM64_RUN) footprint --mem 1G
	$(ARM64_RUN) asm --counts

clean:
	rm -rf $(O)

.PHONY: all deps test bench report sim asm arm64 arm64-verify clean FORCE
.PRECIOUS: $(O)/tests/%.o
-include $(shell find $(O) -name '*.d' 2>/dev/null)
