# SPDX-License-Identifier: GPL-2.0
#
#   make            build build/chbench
#   make bench      the main job (QUICK=1 for a one-minute run)
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
LDLIBS		:= -lbenchmark -lpfm -lpthread -lm

VARIANT_SRC	:= $(wildcard variants/*.c)
HARNESS_SRC	:= $(filter-out harness/main.c,$(wildcard harness/*.c))
LIB_OBJ		:= $(patsubst %.c,$(O)/%.o,$(VARIANT_SRC) $(HARNESS_SRC)) \
		   $(O)/harness/gbench.o
TEST_SRC	:= $(wildcard tests/test_*.c)
TEST_BIN	:= $(patsubst tests/%.c,$(O)/tests/%,$(TEST_SRC))

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

deps:
	@scripts/deps

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

clean:
	rm -rf $(O)

.PHONY: all deps test bench clean FORCE
.PRECIOUS: $(O)/tests/%.o
-include $(shell find $(O) -name '*.d' 2>/dev/null)
