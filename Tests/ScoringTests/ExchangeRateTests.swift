import Foundation
import Scoring
import TestSupport
import Testing

/// The policy key `exchange_rates` (docs/POLICY.md): calls.csv ranks a multi-currency book in one currency, and
/// without rates says that it ranked amounts as written.
@Suite("Exchange rates")
struct ExchangeRateTests {
    /// Two accounts alike but for their currency: 900 a month in JPY (worth little) and 500 a month in EUR.
    static func export() -> HandExport {
        var hand = HandExport(asOf: "2026-06-17")
        hand.currencies["YEN"] = "JPY"
        hand.regular("YEN", zone: "Asia/Tokyo", amount: 900)
        hand.regular("EURO", zone: "Europe/Madrid", amount: 500)
        return hand
    }

    static let rates = ["EUR": 1.09, "JPY": 0.0067]

    @Test func ratesRankTheBookInOneCurrency() throws {
        // The weekly list: today's plan scales each priority by its planned window's P(contact).
        let nominal = try BuiltQueues(Self.export(), policy: QueuePolicy(priority: .aging, plan: .week))
        #expect(nominal.file("calls.csv").customerIDs == ["YEN", "EURO"])
        let converted = try BuiltQueues(Self.export(), policy: QueuePolicy(priority: .aging, exchangeRates: Self.rates, plan: .week))
        let calls = converted.file("calls.csv")
        #expect(calls.customerIDs == ["EURO", "YEN"])
        // The priority is in the reporting currency; the money columns stay in the invoice currency.
        #expect(calls.numbers("past_due_balance")[0] == 1000)
        #expect(abs(calls.numbers("priority")[0] - 1000 * 50 * 1.09) < 0.01)
        #expect(converted.output.currencyWarning == nil)
    }

    @Test func aBookInSeveralCurrenciesRankedAsWrittenIsFlagged() throws {
        let nominal = try BuiltQueues(Self.export(), policy: QueuePolicy())
        let warning = try #require(nominal.output.currencyWarning)
        #expect(warning.contains("2 currencies (EUR, JPY)") && warning.contains("exchange_rates"))
        var single = HandExport(asOf: "2026-06-17")
        single.regular("ONE", zone: "Europe/Madrid")
        #expect(try BuiltQueues(single, policy: QueuePolicy()).output.currencyWarning == nil)
    }

    @Test func aCurrencyWithoutARateIsAnErrorNamingItAndTheCustomer() throws {
        #expect {
            try BuiltQueues(Self.export(), policy: QueuePolicy(exchangeRates: ["EUR": 1.09]))
        } throws: { error in
            "\(error)".contains("\"exchange_rates\" has no rate for \"JPY\"") && "\(error)".contains("\"YEN\"")
        }
    }

    @Test func ratesMustBePositiveAndFinite() throws {
        let folder = try TemporaryFolder("exchange-rates")
        let path = try folder.write("policy.json", #"{"exchange_rates": {"USD": 1, "EUR": 0}}"#)
        #expect {
            try QueuePolicy.load(path: path)
        } throws: { error in
            "\(error)" == path + ": \"exchange_rates\" rate of \"EUR\" must be a finite number > 0, got 0.0"
        }
        let wrongType = try folder.write("wrong.json", #"{"exchange_rates": {"USD": "one"}}"#)
        #expect(throws: PolicyError.self) { try QueuePolicy.load(path: wrongType) }
        let good = try folder.write("good.json", #"{"exchange_rates": {"USD": 1, "EUR": 1.09}}"#)
        #expect(try QueuePolicy.load(path: good).exchangeRate(of: "EUR") == 1.09)
        #expect(try QueuePolicy.load(path: good).exchangeRate(of: "") == 1)
        #expect(try QueuePolicy.load(path: good).exchangeRate(of: "GBP") == nil)
    }
}
