# SPDX-License-Identifier: GPL-2.0
#
#   make            build build/chbench
#   make bench      the main job (QUICK=1 for a one-minute run)
#   make report     report.txt and plots from results (RESULTS="dir ...")
#   make test       build and run the tests, make kernel-verify's among
#                   them (NO_KERNEL=1 skips those); ends "N passed, N failed"
#   make test SANITIZE=1  the same under ASan, UBSan and LSan, in
#                   build-sanitize/ (without the kernel side); any
#                   sanitizer report fails the test
#   make fuzz       libFuzzer targets (clang) for every parser of user text,
#                   FUZZ_SECONDS (default 20) each, in build-fuzz/
#   make readme     README.md's variants, from chbench list
#   make doc        the manual pages, from Documentation/*.txt, into
#                   $(O)/Documentation/ (chbench help CMD shows them)
#   make kmod       chbench.ko for the running kernel (KDIR= another tree)
#   make kernel-verify  Debian's kernels of both eras under qemu TCG,
#                   chbench.ko inside (KERNELS="6.1 6.12 7.3" by default)
#   make kernel-prep KERNEL=7.3   a kernel and chbench.ko for it, unpacked
#   make kernel-compare KERNELS="6.12 7.3"   kernel A against kernel B
#   make clean
#
# make CC=clang builds with clang (and clang++ for the one C++ file).
#
# Extra flags: make CFLAGS=-O0 CXXFLAGS=-O0 LDFLAGS=... O=build-o0. They
# are added to the project's own (which are kept: -I., -D_GNU_SOURCE...),
# after them, so they win; use a build directory of their own.

CC		?= gcc
ifeq ($(origin CC),default)
CC		:= gcc
endif
ifneq ($(findstring clang,$(notdir $(CC))),)
CXX		:= $(subst clang,clang++,$(CC))
else ifneq ($(findstring gcc,$(notdir $(CC))),)
CXX		:= $(subst gcc,g++,$(CC))
endif

ifneq ($(SANITIZE),)
O		:= build-sanitize
# every report is fatal, so a test that provokes one fails
SAN_FLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
SAN_DEFS	:= -DCH_SANITIZE
else
O		:= build
endif
OPT		:= -O2 -fno-strict-aliasing
WARN		:= -Wall -Wextra
GIT_REV		:= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
# DWARF 4: valgrind 3.19 cannot read clang 14's DWARF 5 (chbench sim)
CFLAGS_BASE	:= $(OPT) -gdwarf-4 $(WARN) -std=gnu11
# override: a CFLAGS from the command line adds to these, never drops -I.
# (metadata.json records the flags that shape the code: the user's too)
USER_CFLAGS	:= $(CFLAGS)
CODE_CFLAGS	:= $(strip $(CFLAGS_BASE) $(SAN_FLAGS) $(USER_CFLAGS))
# a variant header left out links as an undefined symbol, a step later:
# stop at the call instead (it shapes no code, so it is not recorded)
WERROR		:= -Werror=implicit-function-declaration
override CFLAGS	:= $(CFLAGS_BASE) $(WERROR) $(SAN_FLAGS) -I. -D_GNU_SOURCE \
		   $(SAN_DEFS) \
		   -DCH_CFLAGS='"$(CODE_CFLAGS)"' $(USER_CFLAGS)
override CXXFLAGS := $(OPT) -gdwarf-4 $(WARN) -std=c++17 $(SAN_FLAGS) -I. \
		   $(CXXFLAGS)
override LDFLAGS := $(SAN_FLAGS) $(LDFLAGS)
LDLIBS		:= -lbenchmark -lpfm -lgsl -lgslcblas -ljansson -lpthread -lm

# The folders, each one concern (see Documentation/chbench-design.txt):
#   variants/ the variants and their list   page/    the struct page model
#   vmemmap/  the emulated vmemmap, walks   inspect/ disassembly, simulation
#   bench/    timing and counters           report/  results, stats, tables
#   kernel/   the module's user half        lib/     small helpers
#   commands/ the commands and their options
# Every .c and .cc in them is built; there is no list of files.
PORTABLE_DIRS	:= variants page lib vmemmap inspect
SRC_DIRS	:= $(PORTABLE_DIRS) bench report kernel commands
VARIANT_SRC	:= $(wildcard variants/*.c page/*.c)
C_SRC		:= $(filter-out commands/main.c,$(wildcard $(addsuffix /*.c,$(SRC_DIRS))))
CXX_SRC		:= $(wildcard $(addsuffix /*.cc,$(SRC_DIRS)))
LIB_OBJ		:= $(patsubst %.c,$(O)/%.o,$(C_SRC)) \
		   $(patsubst %.cc,$(O)/%.o,$(CXX_SRC))
TEST_SRC	:= $(wildcard tests/test_*.c)
TEST_BIN	:= $(patsubst tests/%.c,$(O)/tests/%,$(TEST_SRC)) \
		   $(O)/tests/registry_standalone

all: $(O)/chbench

# Rebuild everything when the compiler or flags change.
$(O)/.stamp: FORCE
	@mkdir -p $(O)
	@echo '$(CC) $(CXX) $(CFLAGS) $(CXXFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CXX) $(CFLAGS) $(CXXFLAGS) $(LDFLAGS)' > $@

# Only the objects that record the revision see it, so a commit does not
# rebuild everything.
$(O)/.git-rev: FORCE
	@mkdir -p $(O)
	@echo '$(GIT_REV)' | cmp -s - $@ || echo '$(GIT_REV)' > $@
$(O)/report/sysinfo.o $(O)/tests/test_sysinfo.o: $(O)/.git-rev
$(O)/report/sysinfo.o $(O)/tests/test_sysinfo.o: \
	override CFLAGS += -DCH_GIT_REV='"$(GIT_REV)"'
# Google Benchmark has no version call, and libpfm's gives its API (4.0):
# the Debian packages built against, as dpkg knew them
LIB_VERSION	= $(shell dpkg-query -W -f='$${Version}' $(1) 2>/dev/null || echo unknown)
$(O)/report/sysinfo_machine.o $(O)/tests/test_sysinfo.o: override CFLAGS += \
	-DCH_GBENCH_VERSION='"$(call LIB_VERSION,libbenchmark-dev)"' \
	-DCH_LIBPFM_VERSION='"$(call LIB_VERSION,libpfm4-dev)"'

$(O)/%.o: %.c $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(O)/%.o: %.cc $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -MMD -MP -c $< -o $@

$(O)/libchbench.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# every object, not the archive: main.c refers to the commands and the
# JSON builders weakly, and a weak reference pulls nothing out of one
$(O)/chbench: $(O)/commands/main.o $(LIB_OBJ)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/%: $(O)/tests/%.o $(O)/libchbench.a
	$(CXX) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

# The registry links on its own, as outside checks build it:
# cc -O2 -I. some_test.c variants/*.c page/*.c
$(O)/tests/registry_standalone: tests/standalone/registry.c \
		$(VARIANT_SRC) $(wildcard variants/*.h) $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CC) -O2 $(SAN_FLAGS) -I. -o $@ tests/standalone/registry.c \
		$(VARIANT_SRC) -lcmocka

# tests only: a PMU with known counts for machines without one, through
# LD_PRELOAD (see tests/fakepmu.c); never linked into chbench
$(O)/tests/fakepmu.so: tests/fakepmu.c $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CC) -O2 $(WARN) -shared -fPIC -o $@ $< -ldl

# libFuzzer targets for every parser of user text (tests/fuzz/), built by
# clang with ASan and UBSan in their own directory; FUZZ_SECONDS each,
# from the seeds in tests/fuzz/corpus/. Any crash, leak or report fails.
FUZZ_SECONDS	?= 20
FUZZ_O		:= build-fuzz
FUZZ_TARGETS	:= $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz:
	@scripts/deps clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory O=$(FUZZ_O) CC=clang SANITIZE=1 \
		CFLAGS=-fsanitize=fuzzer-no-link \
		CXXFLAGS=-fsanitize=fuzzer-no-link \
		$(addprefix $(FUZZ_O)/,$(FUZZ_TARGETS))
	@tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_O) $(FUZZ_TARGETS)

$(O)/fuzz_%: $(O)/tests/fuzz/fuzz_%.o $(O)/libchbench.a
	$(CXX) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# CC=clang: clang too, so 'make test CC=clang' works on a fresh machine
deps:
	@scripts/deps $(if $(findstring clang,$(notdir $(CC))),clang)

# Under SANITIZE, every report aborts: LSan's leak check turns an exit 2
# into 23, so a leak on an error path fails the test that takes it.
SAN_ENV		:= ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 \
		   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The kernel side (kernel-verify) is one more TAP producer for tests/run,
# so the last line still counts everything; NO_KERNEL=1 (and SANITIZE)
# leave it out.
NO_KERNEL	?= $(SANITIZE)
KERNEL_TEST	:= $(if $(NO_KERNEL),,tests/kernel/verify)
# a scratch copy of the tree with one more variant, which runs the copy's
# whole make test with NO_EXTRA=1 (one copy, never a copy of a copy);
# not under the sanitizers: it builds and times the copy as a user would
# tests/lock: one timing run per machine, from the outside
# tests/docs: each page's OPTIONS against its command's --help; make doc
EXTRA_TEST	:= $(if $(SANITIZE)$(NO_EXTRA),,tests/extra-variant) \
		   tests/readme tests/docs tests/lock

test: deps
	@scripts/deps $(DOC_PKGS)
	@$(if $(NO_KERNEL),,scripts/deps $(KERNEL_PKGS))
	@$(MAKE) --no-print-directory all $(TEST_BIN) $(O)/tests/fakepmu.so \
		$(if $(NO_KERNEL),,$(O)/tests/kmod_abuse)
	@$(if $(SANITIZE),$(SAN_ENV)) CHBENCH=$(O)/chbench O=$(O) CC=$(CC) \
		$(if $(NO_KERNEL),,CHBENCH_KMOD=1) \
		tests/run $(TEST_BIN) $(EXTRA_TEST) $(KERNEL_TEST)

# chbench.ko, built by kbuild in kmod/ against KDIR's headers
KDIR		?= /lib/modules/$(shell uname -r)/build
kmod:
	@test -f $(KDIR)/Makefile || { echo "chbench: no kernel headers at $(KDIR); install them: apt-get install linux-headers-$(shell uname -r) (or give KDIR=<kernel tree>)" >&2; exit 2; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

# Debian's own kernel (linux-image-amd64) booted under qemu -accel tcg,
# with chbench.ko built for it from linux-headers-amd64: kernel verify
# with HVO off and on, kernel bench --quick, bad input through the
# module; fails on a mismatch, an oops or warning in dmesg, a leaked pin
# or a timeout. What the guest wrote lands in $(O)/kernel-verify/.
# tests/kernel/selftest first proves the guest runner can fail. All of
# it is tests/kernel/verify.
# pahole: 6.12+ headers ship vmlinux, so kbuild makes BTF for the module;
# debootstrap: a userland for kernels the host's gcc and glibc cannot
# build for (7.x needs gcc-14, glibc 2.38); zstd: 7.x images are zstd
KERNEL_PKGS	:= qemu-system-x86 linux-image-amd64 linux-headers-amd64 \
		   pahole busybox-static cpio xz-utils zstd debootstrap \
		   debian-archive-keyring
$(O)/tests/kmod_abuse: tests/kernel/kmod_abuse.c tests/kernel/kmod_race.c \
		tests/kernel/kmod_abuse.h kmod/chbench_ioctl.h $(O)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -pthread -o $@ $(filter %.c,$^)

kernel-verify: all $(O)/tests/kmod_abuse
	@scripts/deps $(KERNEL_PKGS)
	@O=$(O) $(if $(KERNELS),KERNELS="$(KERNELS)") tests/kernel/verify

# A kernel, unpacked under $(O)/kernels/<release>/ with chbench.ko built
# for it: Debian's (KERNEL=7.3, 6.12, 6.1 or a full release) or one's
# own (KIMAGE=arch/x86/boot/bzImage KTREE=the tree it was built in).
kernel-prep:
	@test -n "$(KERNEL)$(KIMAGE)" || { echo "chbench: make kernel-prep: give KERNEL=7.3 (a Debian kernel), or KIMAGE=bzImage KTREE=its build tree" >&2; exit 2; }
	@scripts/deps $(KERNEL_PKGS)
	@O=$(O) scripts/kernel-prep $(if $(KIMAGE),--image $(KIMAGE) \
		--tree $(KTREE),$(KERNEL))

# Kernel A against kernel B: each booted in a guest (KVM where it can,
# else TCG), kernel verify and kernel bench inside, then make report over
# them. KERNELS="6.12 7.3" (versions, or directories kernel-prep made);
# QUICK=1; COMPARE_ARGS passes options, e.g. COMPARE_ARGS='--cpus 4'.
kernel-compare:
	@test -n "$(KERNELS)" || { echo "chbench: make kernel-compare: give KERNELS=\"6.12 7.3\" (two kernels or more)" >&2; exit 2; }
	@scripts/deps $(KERNEL_PKGS)
	@$(MAKE) --no-print-directory all
	@O=$(O) scripts/kernel-compare $(if $(QUICK),--quick) $(COMPARE_ARGS) \
		$(KERNELS)

# QUICK=1: a one-minute run; CPU=N pins to CPU N; BENCH_ARGS passes
# anything else, e.g. BENCH_ARGS=--benchmark_filter=mixed
bench: deps
	@$(MAKE) --no-print-directory all
	$(O)/chbench verify --mem 1G > /dev/null
	$(O)/chbench bench $(if $(QUICK),--quick) $(if $(CPU),--cpu $(CPU)) \
		$(BENCH_ARGS)

# report.txt and plots/ into a results directory (the newest under
# results/ unless RESULTS="dir ..."; several are compared side by side).
# REPORT_ARGS passes options, e.g. REPORT_ARGS='--baseline pointer@none';
# SUMMARY=1 also prints summary.txt, at most 60 lines for a mail's body.
# A missing package is named; as root it is installed.
report:
	@scripts/deps || true
	@$(MAKE) --no-print-directory all
	@CHBENCH=$(O)/chbench scripts/report $(if $(SUMMARY),--summary) \
		$(REPORT_ARGS) $(RESULTS)

# Simulated counters (valgrind) for every variant and shape; SIM_ARGS
# passes scenario options, e.g. SIM_ARGS='--mem 1G --seed 2'
sim: deps
	@$(MAKE) --no-print-directory all
	@scripts/sim-table $(O)/chbench $(SIM_ARGS)

# README.md's list of variants, rewritten from chbench list (make test
# fails while it is stale)
readme: all
	@scripts/readme $(O)/chbench

# The manual pages: Documentation/*.txt (asciidoc, as perf's) rendered by
# asciidoctor straight into man pages, section 1 for the commands and 7
# for the concept pages, into $(O)/Documentation/, where chbench help
# finds them beside the binary. (perf renders its pages with asciidoc and
# xmlto, which pull in the DocBook toolchain; asciidoctor needs none.)
DOC_PKGS	:= asciidoctor man-db
DOC_CONCEPTS	:= design kmod noise reports
DOC_7_SRC	:= $(patsubst %,Documentation/chbench-%.txt,$(DOC_CONCEPTS))
DOC_1_SRC	:= $(filter-out $(DOC_7_SRC),$(wildcard Documentation/*.txt))
DOC_MAN		:= $(patsubst %.txt,$(O)/%.1,$(DOC_1_SRC)) \
		   $(patsubst %.txt,$(O)/%.7,$(DOC_7_SRC))
ASCIIDOCTOR	:= asciidoctor -b manpage -a compat-mode -a mansource=chbench \
		   -a manversion=$(GIT_REV) -a manmanual='chbench Manual' \
		   --failure-level=WARN
doc:
	@scripts/deps asciidoctor
	@$(MAKE) --no-print-directory doc-pages
doc-pages: $(DOC_MAN)

$(O)/Documentation/%.1: Documentation/%.txt
	@mkdir -p $(dir $@)
	$(ASCIIDOCTOR) -o $@ $<

$(O)/Documentation/%.7: Documentation/%.txt
	@mkdir -p $(dir $@)
	$(ASCIIDOCTOR) -o $@ $<

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
C_OBJ		:= $(patsubst %.c,$(O)/%.o,$(C_SRC))
# chbench-verify offers these commands; what they need comes from an
# archive of the portable folders, which links only the members used
VERIFY_CMDS	:= list verify asm footprint
VERIFY_CORE	:= $(patsubst %.c,$(O)/%.o,$(filter-out commands/cmd_%.c, \
		   $(filter $(addsuffix /%,$(PORTABLE_DIRS) commands),$(C_SRC))))

$(O)/libchbench-core.a: $(VERIFY_CORE)
	rm -f $@
	ar rcs $@ $^

$(O)/chbench-verify: $(O)/commands/main.o \
		$(patsubst %,$(O)/commands/cmd_%.o,$(VERIFY_CMDS)) \
		$(O)/libchbench-core.a
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
	rm -f kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd \
		kmod/Module.symvers kmod/modules.order

.PHONY: all deps test fuzz bench report sim asm arm64 arm64-verify clean FORCE \
	readme doc doc-pages \
	kmod kernel-verify kernel-prep kernel-compare
.PRECIOUS: $(O)/tests/%.o $(O)/tests/fuzz/%.o
# (build/kernels/ holds whole userlands, whose *.d are not make's)
-include $(shell find $(O) -path '$(O)/kernels' -prune -o -name '*.d' -type f -print 2>/dev/null)
