// SPDX-License-Identifier: GPL-2.0
//
// The C harness's only C++: a thin shim that turns struct ch_gb_case into
// a Google Benchmark benchmark and hands the results back to C.  Everything
// that Google Benchmark does itself (calibration, repetitions, aggregates,
// interleaving, filters, JSON) is left to it and driven by its own flags.

#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench/gbench.h"
#include "bench/gbflags.h"

using benchmark::BenchmarkReporter;
using benchmark::Counter;

// The registered cases by name, to hand the case back with each result.
static std::map<std::string, const struct ch_gb_case *> cases;
// The last --benchmark_format=, if the user asked for one.
static std::string user_format;
// What the --benchmark_* flags asked for, checked by ch_gb_flag_check().
static struct ch_gb_flags seen;

static void run_case(benchmark::State &state, const struct ch_gb_case *c)
{
	struct ch_gb_counter tot[CH_GB_MAX_COUNTERS];
	uint64_t ops = c->ops_per_batch ? c->ops_per_batch : 1;
	char err[256] = "";
	int n = 0;

	if (c->prepare && c->prepare(c->arg, err, sizeof(err))) {
		state.SkipWithError(err[0] ? err : "prepare() failed");
		return;
	}

	if (c->counters_start)
		c->counters_start(c->arg);
	for (auto _ : state) {
		uint64_t ret;

		if (c->setup) {
			state.PauseTiming();
			if (c->setup(c->arg, err, sizeof(err))) {
				state.SkipWithError(err);
				break;
			}
			state.ResumeTiming();
		}
		ret = c->batch(c->arg);
		benchmark::DoNotOptimize(ret);
		if (c->teardown) {
			state.PauseTiming();
			if (c->teardown(c->arg, err, sizeof(err))) {
				state.SkipWithError(err);
				break;
			}
			state.ResumeTiming();
		}
	}
	if (state.error_occurred())
		return;
	if (c->counters_stop)
		n = c->counters_stop(c->arg, tot, CH_GB_MAX_COUNTERS);

	// Plain counters: Google Benchmark aggregates them over repetitions.
	double total_ops = (double)state.iterations() * (double)ops;
	for (int i = 0; i < n && i < CH_GB_MAX_COUNTERS; i++)
		state.counters[std::string(tot[i].name) + "/op"] =
			tot[i].value / total_ops;

	// ops * 1e-9 per iteration as a rate, inverted: seconds * 1e9 / ops.
	state.counters["ns/op"] = Counter(ops * 1e-9,
			Counter::kIsIterationInvariantRate | Counter::kInvert);
	state.counters["instance"] = c->instance;
	state.SetItemsProcessed(state.iterations() * (int64_t)ops);
}

// Hands each run, aggregates included, to the C callback.
class c_reporter : public BenchmarkReporter {
public:
	c_reporter(ch_gb_result_fn fn, void *arg) : fn_(fn), arg_(arg) {}

	bool ReportContext(const Context &) override { return true; }

	void ReportRuns(const std::vector<Run> &runs) override
	{
		for (const Run &run : runs)
			report(run);
	}

private:
	void report(const Run &run)
	{
		benchmark::BenchmarkName bn = run.run_name;
		bool agg = run.run_type == Run::RT_Aggregate;
		std::vector<std::string> names;
		std::vector<struct ch_gb_counter> ctrs;
		struct ch_gb_result r = {};

		bn.time_type.clear();		// drop "/real_time"
		bn.iterations.clear();		// and a fixed "/iterations:N"
		std::string name = bn.str();
		if (agg)
			name += "_" + run.aggregate_name;

		names.reserve(run.counters.size());
		for (const auto &kv : run.counters) {
			const std::string &k = kv.first;

			if (k == "ns/op") {
				r.ns_per_op = kv.second.value;
				continue;
			}
			if (k.size() <= 3 || k.compare(k.size() - 3, 3, "/op"))
				continue;
			names.push_back(k.substr(0, k.size() - 3));
			ctrs.push_back({ names.back().c_str(),
					 kv.second.value });
		}

		auto it = cases.find(run.run_name.function_name);
		r.name = name.c_str();
		r.aggregate = agg ? run.aggregate_name.c_str() : "";
		r.c = it != cases.end() ? it->second : nullptr;
		r.error = run.error_occurred;
		r.error_msg = run.error_message.c_str();
		r.nr_counters = (int)ctrs.size();
		r.counters = ctrs.data();
		r.iterations = run.iterations;
		r.repetition_index = agg ? -1 : (int)run.repetition_index;
		r.instance = r.c ? r.c->instance : 0;
		fn_(&r, arg_);
	}

	ch_gb_result_fn fn_;
	void *arg_;
};

// The value of -name=... or --name=..., or NULL.
static const char *flag_value(const char *arg, const char *name)
{
	size_t n = strlen(name);

	if (arg[0] != '-')
		return nullptr;
	arg += arg[1] == '-' ? 2 : 1;
	if (strncmp(arg, name, n) || arg[n] != '=')
		return nullptr;
	return arg + n + 1;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-help");
}

static bool is_gb_flag(const char *arg)
{
	return !strncmp(arg, "--benchmark_", 12) ||
	       !strncmp(arg, "-benchmark_", 11);
}

int ch_gb_init(int *argc, char **argv)
{
	std::vector<char *> gb;	// what Google Benchmark gets to see
	const char *v;
	int n = 1;

	if (*argc < 1 || !argv[0]) {
		fprintf(stderr, "ch_gb_init: argv[0] is missing\n");
		return -EINVAL;
	}
	gb.push_back(argv[0]);
	seen = {};
	for (int i = 1; i < *argc; i++) {
		char err[1536];

		if (is_help(argv[i]))
			continue;
		if (is_gb_flag(argv[i]) &&
		    ch_gb_flag_check(argv[i], &seen, err, sizeof(err))) {
			fprintf(stderr, "chbench: %s\n", err);
			return -EINVAL;
		}
		if ((v = flag_value(argv[i], "benchmark_format")))
			user_format = v;
		gb.push_back(argv[i]);
	}
	int gb_argc = (int)gb.size();
	gb.push_back(nullptr);
	benchmark::Initialize(&gb_argc, gb.data());

	// Keep, in order, what it left and the --help it never saw.
	std::set<char *> left(gb.begin() + 1, gb.begin() + gb_argc);
	for (int i = 1; i < *argc; i++)
		if (is_help(argv[i]) || left.count(argv[i]))
			argv[n++] = argv[i];
	if (n < *argc)
		argv[n] = nullptr;
	*argc = n;

	for (int i = 1; i < n; i++) {
		if (is_gb_flag(argv[i])) {
			fprintf(stderr,
				"chbench: unknown Google Benchmark flag '%.64s'; valid: %s\n",
				argv[i], ch_gb_flag_list());
			return -EINVAL;
		}
	}
	return 0;
}

void ch_gb_register(const struct ch_gb_case *c)
{
	if (!cases.emplace(c->name, c).second)
		fprintf(stderr, "ch_gb_register: %s registered twice\n",
			c->name);
	auto *b = benchmark::RegisterBenchmark(c->name,
			[c](benchmark::State &state) { run_case(state, c); });

	b->UseRealTime()->Unit(benchmark::kNanosecond);
	if (c->iterations > 0)
		b->Iterations(c->iterations);
}

void ch_gb_add_context(const char *key, const char *value)
{
	benchmark::AddCustomContext(key, value ? value : "");
}

// Hands every event to each of several reporters: the display, and the
// JSON copy a results directory keeps whatever --benchmark_out says.
// Over several rounds the context goes out once and Finalize() only at
// the end, so each reporter writes one document.
class tee_reporter : public BenchmarkReporter {
public:
	void add(BenchmarkReporter *r) { to_.push_back(r); }

	bool ReportContext(const Context &ctx) override
	{
		bool ok = true;

		if (said_context_)
			return true;
		said_context_ = true;
		for (BenchmarkReporter *r : to_)
			ok &= r->ReportContext(ctx);
		return ok;
	}

	void ReportRuns(const std::vector<Run> &runs) override
	{
		for (BenchmarkReporter *r : to_)
			r->ReportRuns(runs);
	}

	void Finalize() override {}

	void finish()
	{
		if (!said_context_)
			return;
		for (BenchmarkReporter *r : to_)
			r->Finalize();
	}

private:
	std::vector<BenchmarkReporter *> to_;
	bool said_context_ = false;
};

static std::unique_ptr<BenchmarkReporter> user_display(void)
{
	if (user_format == "json")
		return std::make_unique<benchmark::JSONReporter>();
	// deprecated upstream, but still what --benchmark_format=csv means
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	if (user_format == "csv")
		return std::make_unique<benchmark::CSVReporter>();
#pragma GCC diagnostic pop
	return std::make_unique<benchmark::ConsoleReporter>(
		isatty(1) ? benchmark::ConsoleReporter::OO_Color :
			    benchmark::ConsoleReporter::OO_None);
}

bool ch_gb_user_format(void)
{
	return !user_format.empty();
}

// Write all of @text to @path; 0, or an errno (ENOSPC on a full disk).
static int write_all(const char *path, const std::string &text)
{
	const char *p = text.data();
	size_t left = text.size();
	int fd, e = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return errno;
	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			break;
		}
		p += n;
		left -= n;
	}
	if (close(fd) && !e)
		e = errno;
	return e;
}

// The reporters of one ch_gb_begin() .. ch_gb_end().
struct session {
	std::unique_ptr<BenchmarkReporter> display;
	std::unique_ptr<c_reporter> cb;
	benchmark::JSONReporter json;
	// in memory until the end: a full disk loses no result, and says so
	std::ostringstream json_out;
	const char *json_path = nullptr;
	tee_reporter tee;
};

static std::unique_ptr<session> sess;

int ch_gb_begin(ch_gb_result_fn display_fn, void *arg, const char *json_path)
{
	sess = std::make_unique<session>();
	if (json_path) {
		sess->json_path = json_path;
		sess->json.SetOutputStream(&sess->json_out);
		sess->json.SetErrorStream(&std::cerr);
		sess->tee.add(&sess->json);
	}
	// the user's --benchmark_format wins over the caller's display
	if (!display_fn || !user_format.empty()) {
		sess->display = user_display();
		sess->tee.add(sess->display.get());
	}
	if (display_fn) {
		sess->cb = std::make_unique<c_reporter>(display_fn, arg);
		sess->tee.add(sess->cb.get());
	}
	return 0;
}

int ch_gb_round(void)
{
	int n;

	if (!sess) {
		fprintf(stderr, "ch_gb_round: no ch_gb_begin()\n");
		return -1;
	}
	try {
		benchmark::SetDefaultTimeUnit(benchmark::kNanosecond);
		n = (int)benchmark::RunSpecifiedBenchmarks(&sess->tee);
	} catch (const std::exception &e) {
		fprintf(stderr, "ch_gb_run: %s\n", e.what());
		n = -1;
	}
	benchmark::ClearRegisteredBenchmarks();
	cases.clear();
	return n;
}

int ch_gb_end(void)
{
	int ret = 0;

	if (!sess)
		return 0;
	sess->tee.finish();
	if (sess->json_path) {
		int e = write_all(sess->json_path, sess->json_out.str());

		if (e) {
			fprintf(stderr, "chbench: writing %s failed: %s%s\n",
				sess->json_path, strerror(e),
				e == ENOSPC ? " (ENOSPC: the disk is full)" : "");
			ret = -1;
		}
	}
	sess.reset();
	return ret;
}

// Counts the cases the filter selects and stops before any runs: its
// ReportContext() says no, and Google Benchmark then runs nothing.
class probe_reporter : public BenchmarkReporter {
public:
	probe_reporter()
	{
		SetOutputStream(&out);
		SetErrorStream(&err);
	}
	bool ReportContext(const Context &) override { return false; }
	void ReportRuns(const std::vector<Run> &) override {}
	std::ostringstream out, err;
};

int ch_gb_check_out(char *err, size_t len)
{
	const char *path = seen.out;
	bool existed;
	FILE *f;

	if (!path)
		return 0;
	existed = !access(path, F_OK);
	f = fopen(path, "a");
	if (!f) {
		snprintf(err, len, "cannot write --benchmark_out=%.200s: %s",
			 path, strerror(errno));
		return -errno;
	}
	fclose(f);
	if (!existed)
		unlink(path);
	return 0;
}

int ch_gb_preflight(char *err, size_t len)
{
	probe_reporter probe;
	size_t n;

	if (ch_gb_check_out(err, len))
		return -1;
	n = benchmark::RunSpecifiedBenchmarks(&probe);
	if (seen.list_tests) {
		fputs(probe.out.str().c_str(), stdout);
		return (int)n;
	}
	if (n)
		return (int)n;
	if (probe.err.str().find("Could not compile") != std::string::npos)
		snprintf(err, len,
			 "--benchmark_filter=%.64s is not a valid regular expression; e.g. --benchmark_filter=mixed or 'mask-.*/order0'",
			 seen.filter ? seen.filter : "");
	else
		snprintf(err, len,
			 "--benchmark_filter=%.64s matches none of the %zu cases; --benchmark_list_tests lists them",
			 seen.filter ? seen.filter : "", cases.size());
	return 0;
}

void ch_gb_forget(void)
{
	benchmark::ClearRegisteredBenchmarks();
	cases.clear();
}

bool ch_gb_list_only(void)
{
	return seen.list_tests;
}

void ch_gb_shutdown(void)
{
	sess.reset();
	benchmark::ClearRegisteredBenchmarks();
	cases.clear();
	user_format.clear();
	seen = {};
	benchmark::Shutdown();
}
