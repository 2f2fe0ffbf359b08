# arscore — the two commands a newcomer needs:
#   make demo   install what is missing, build, train on the demo export, score it with the committed
#               bundle and show the top of the day's call plan, its slot load and the deferred count
#   make test   install what is missing, run every test
SWIFT ?= swift
ARSCORE := .build/release/arscore
DEMO_OUT := .build/demo
# calls.csv columns `make demo` prints: who, why, and today's planned slot (docs/QUEUES.md, "Today's plan").
DEMO_PLAN_COLUMNS := rank,customer_id,priority,p_pay,past_due_balance,timezone,window_local,window_start_utc,window_end_utc,p_contact,best_window_local,selection

.PHONY: deps build demo test bench bench-ingest fuzz fuzz-smoke

deps:
	@bash .ci/install-deps.sh

build: deps
	$(SWIFT) build -c release --product arscore

demo: build
	@rm -rf $(DEMO_OUT) && mkdir -p $(DEMO_OUT)
	@echo "--- train a bundle on the demo export (Models/demo/v1 is the committed copy of this run)"
	$(ARSCORE) train --data Datasets/demo --out $(DEMO_OUT)/models/demo --quiet
	@sed -n '/^## Holdout metrics/,/^| cash share/p' $(DEMO_OUT)/models/demo/v1/model_card.md
	@echo "--- score the demo export with the committed bundle, as of the day after the data ends"
	$(ARSCORE) score --data Datasets/demo --model Models/demo --out $(DEMO_OUT)/queues --as-of 2026-11-02 --capacity 50
	@echo "--- today's plan (Mon 2026-11-02, team UTC 08:00-18:00, 50 calls): top of $(DEMO_OUT)/queues/latest/calls.csv"
	@awk -F, -v cols=$(DEMO_PLAN_COLUMNS) 'BEGIN { n = split(cols, want, ",") } \
		NR == 1 { for (i = 1; i <= NF; i++) at[$$i] = i } \
		NR <= 11 { line = ""; for (j = 1; j <= n; j++) line = line (j > 1 ? "," : "") $$at[want[j]]; print line }' \
		$(DEMO_OUT)/queues/latest/calls.csv | column -s, -t
	@echo "--- slot load: calls planned in each one-hour team slot (window_start_utc)"
	@awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($$i == "window_start_utc") c = i; next } { load[$$c]++ } \
		END { for (s in load) print s, load[s] }' $(DEMO_OUT)/queues/latest/calls.csv | sort
	@echo "--- manifest: accounts excluded by each rule (better_another_day: best called on a later day), and the draws"
	@sed -n '/"exclusions"/,/}/p' $(DEMO_OUT)/queues/latest/manifest.json
	@grep -E '"(exploration_share|holdout_share|policy_seed|priority_calls|explore_calls|exploration_pool|holdout_accounts)"' \
		$(DEMO_OUT)/queues/latest/manifest.json

test: deps
	$(SWIFT) test
	$(MAKE) spark-test

# The Spark driver's tests (Sources/spark/tests: Spark local[2], one session for all), on the release binary.
.PHONY: spark-test
spark-test: deps
	$(SWIFT) build -c release --product arscore
	cd Sources/spark && ARSCORE_BIN=$(CURDIR)/$(ARSCORE) python3 -m unittest discover -s tests -t . -v

bench: deps
	$(SWIFT) build -c release --product arscore-bench
	.build/release/arscore-bench all

# Ingest + snapshot features vs pandas on a generated export (CUSTOMERS=100000 by default).
CUSTOMERS ?= 100000
bench-ingest: deps
	$(SWIFT) build -c release --product arscore
	$(SWIFT) build -c release --product arscore-bench
	@test -d Benchmarks/work/export-$(CUSTOMERS) || $(ARSCORE) generate --out Benchmarks/work/export-$(CUSTOMERS) \
		--customers $(CUSTOMERS) --months 12 --seed 3
	.build/release/arscore-bench ingest --data Benchmarks/work/export-$(CUSTOMERS) --as-of 2026-10-01

# The nightly job (arscore score) end to end on a generated export: time by stage, peak memory, scoring throughput
# beside memory bandwidth. NIGHTLY_CUSTOMERS=1000000 by default (the issue's target size: 2.8 GB of CSV read by the
# job, 3.45 GB with truth.json); the first run also generates it and trains a bundle on it into Benchmarks/work/models.
NIGHTLY_CUSTOMERS ?= 1000000
NIGHTLY_EXPORT := Benchmarks/work/export-$(NIGHTLY_CUSTOMERS)
NIGHTLY_MODEL := Benchmarks/work/models/export-$(NIGHTLY_CUSTOMERS)
.PHONY: bench-nightly
bench-nightly: deps
	$(SWIFT) build -c release --product arscore
	$(SWIFT) build -c release --product arscore-bench
	@test -d $(NIGHTLY_EXPORT) || $(ARSCORE) generate --out $(NIGHTLY_EXPORT) \
		--customers $(NIGHTLY_CUSTOMERS) --months 12 --seed 3
	@ls $(NIGHTLY_MODEL)/*/bundle.json >/dev/null 2>&1 || $(ARSCORE) train --data $(NIGHTLY_EXPORT) \
		--out $(NIGHTLY_MODEL) --quiet
	.build/release/arscore-bench nightly --data $(NIGHTLY_EXPORT) --model $(NIGHTLY_MODEL) --as-of 2026-11-02

# The analyst walkthroughs in notebooks-md/: run every sh block in a scratch folder and check the shown outputs
# (python3 with pandas; `python3 notebooks-md/run.py --update` rewrites them, see notebooks-md/README.md).
.PHONY: notebooks
notebooks: build
	python3 notebooks-md/run.py

# libFuzzer harnesses for the CSV reader, the export loader and the bundle loader (Tests/Fuzz/README.md): built into
# .build-fuzz with swiftc -sanitize=fuzzer,address (the toolchain ships libFuzzer), run from the committed seed corpus.
# `make fuzz` runs each for FUZZ_RUNS inputs; `make fuzz-smoke` (CI) each for FUZZ_SMOKE_SECONDS seconds.
FUZZ_RUNS ?= 1000000
FUZZ_SMOKE_SECONDS ?= 35
fuzz: deps
	bash Tests/Fuzz/run.sh runs $(FUZZ_RUNS)

fuzz-smoke: deps
	bash Tests/Fuzz/run.sh seconds $(FUZZ_SMOKE_SECONDS)
