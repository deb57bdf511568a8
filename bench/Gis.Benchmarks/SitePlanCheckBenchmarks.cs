using BenchmarkDotNet.Attributes;
using HcmCity.Gis.Compliance;

namespace HcmCity.Gis.Benchmarks;

/// <summary>One <see cref="SitePlanChecker.Check"/> call, validation included; target: p99 ≤ 5 ms.</summary>
[MemoryDiagnoser]
public class SitePlanCheckBenchmarks
{
    private (ParcelFacts Parcel, SitePlan Plan) _typical;
    private (ParcelFacts Parcel, SitePlan Plan) _vertices500;
    private (ParcelFacts Parcel, SitePlan Plan) _failing;

    [GlobalSetup]
    public void Setup()
    {
        _typical = Scenarios.TypicalLot();
        _vertices500 = Scenarios.Parcel500Vertices();
        _failing = Scenarios.FailingLot();
    }

    [Benchmark(Baseline = true)]
    public ComplianceReport TypicalLot() => SitePlanChecker.Check(_typical.Parcel, _typical.Plan, Scenarios.Existing);

    [Benchmark]
    public ComplianceReport Parcel500Vertices() =>
        SitePlanChecker.Check(_vertices500.Parcel, _vertices500.Plan, Scenarios.Existing);

    [Benchmark]
    public ComplianceReport FailingLotWithViolationGeometry() =>
        SitePlanChecker.Check(_failing.Parcel, _failing.Plan, Scenarios.Existing);
}
