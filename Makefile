# arscore — the two commands a newcomer needs:
#   make demo   install what is missing, build, fit and score the demo table, build snapshot features
#               from the demo export, show the results
#   make test   install what is missing, run every test
SWIFT ?= swift
ARSCORE := .build/release/arscore
DEMO_OUT := .build/demo

.PHONY: deps build demo test bench bench-ingest

deps:
	@bash .ci/install-deps.sh

build: deps
	$(SWIFT) build -c release --product arscore

demo: build
	@mkdir -p $(DEMO_OUT)
	$(ARSCORE) fit logistic --table Datasets/demo-features/accounts.csv --target paid_within_30d \
		--features max_days_past_due,invoice_count,avg_days_late,share_paid_late,days_since_last_payment,rpc_rate_30d,disputed \
		--out $(DEMO_OUT)/pay_model.json
	$(ARSCORE) predict --model $(DEMO_OUT)/pay_model.json --table Datasets/demo-features/accounts.csv \
		--keep customer_id,segment,past_due_balance,true_p --out $(DEMO_OUT)/predictions.csv
	@echo "--- first rows of $(DEMO_OUT)/predictions.csv (p = fitted P(pays within 30 days), true_p = generator's truth)"
	@head -n 8 $(DEMO_OUT)/predictions.csv
	$(ARSCORE) features --data Datasets/demo --as-of 2026-10-01 --out $(DEMO_OUT)/features.csv \
		--quarantine $(DEMO_OUT)/quarantine.csv
	@echo "--- first rows of $(DEMO_OUT)/features.csv (customer, date, balances, aging, days past due; 76 features in all)"
	@head -n 6 $(DEMO_OUT)/features.csv | cut -d, -f1-8,16

test: deps
	$(SWIFT) test

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
