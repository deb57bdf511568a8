using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Parcels;

public sealed class ParcelBulkLoaderOptions
{
    /// <summary>Parcels per upsert (one COPY and one INSERT ... ON CONFLICT per batch).</summary>
    public int BatchSize { get; set; } = 20_000;

    /// <summary>
    /// Batches upserted at once, each on its own connection, while the next batches are read: reading (and
    /// transforming) parcels and PostgreSQL's index maintenance then run side by side.
    /// </summary>
    public int Writers { get; set; } = 2;
}

/// <summary>Streams parcels of any size into an <see cref="IParcelStore"/> in batches, reading ahead while writing.</summary>
public sealed class ParcelBulkLoader
{
    private readonly Func<IReadOnlyCollection<Parcel>, CancellationToken, Task<UpsertResult>> _upsert;
    private readonly ParcelBulkLoaderOptions _options;

    /// <summary>Each batch is upserted, and committed, on its own (<see cref="IParcelStore.UpsertAsync"/>).</summary>
    public ParcelBulkLoader(IParcelStore store, ParcelBulkLoaderOptions? options = null)
        : this(UpsertOf(store), options)
    {
    }

    /// <summary>
    /// Each batch goes to <paramref name="upsert"/>, e.g. <see cref="ParcelImportTransaction.UpsertAsync"/> of an
    /// import committed as a whole (which takes one batch at a time: <see cref="ParcelBulkLoaderOptions.Writers"/> = 1).
    /// </summary>
    public ParcelBulkLoader(Func<IReadOnlyCollection<Parcel>, CancellationToken, Task<UpsertResult>> upsert, ParcelBulkLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(upsert);
        _upsert = upsert;
        _options = options ?? new ParcelBulkLoaderOptions();
    }

    private static Func<IReadOnlyCollection<Parcel>, CancellationToken, Task<UpsertResult>> UpsertOf(IParcelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.UpsertAsync;
    }

    /// <summary>Upserts every parcel; <paramref name="stored"/> hears the size of each batch once it is committed.</summary>
    public async Task<UpsertResult> LoadAsync(
        IAsyncEnumerable<Parcel> parcels, IProgress<int>? stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Writers);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<List<Parcel>>(new BoundedChannelOptions(_options.Writers)
        {
            SingleWriter = true,
        });

        var reader = Task.Run(async () =>
        {
            try
            {
                var batch = new List<Parcel>(_options.BatchSize);
                await foreach (var parcel in parcels.WithCancellation(stop.Token))
                {
                    batch.Add(parcel);
                    if (batch.Count == _options.BatchSize)
                    {
                        await batches.Writer.WriteAsync(batch, stop.Token);
                        batch = new List<Parcel>(_options.BatchSize);
                    }
                }

                if (batch.Count > 0)
                {
                    await batches.Writer.WriteAsync(batch, stop.Token);
                }

                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
                throw;
            }
        }, stop.Token);

        var writers = Enumerable.Range(0, _options.Writers).Select(_ => Task.Run(async () =>
        {
            int inserted = 0, updated = 0;
            try
            {
                await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
                {
                    var result = await _upsert(batch, stop.Token);
                    inserted += result.Inserted;
                    updated += result.Updated;
                    stored?.Report(batch.Count);
                }
            }
            catch
            {
                // One failed writer stops the reader and the other writers rather than leaving them blocked.
                await stop.CancelAsync();
                throw;
            }

            return new UpsertResult(inserted, updated);
        }, stop.Token)).ToList();

        Task[] all = [reader, .. writers];
        try
        {
            await Task.WhenAll(all);
        }
        catch
        {
            // Report the failure that stopped the load, not the cancellations it caused in the other tasks.
            var failure = all.Where(t => t.IsFaulted)
                .Select(t => t.Exception!.GetBaseException())
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }

        return new UpsertResult(writers.Sum(w => w.Result.Inserted), writers.Sum(w => w.Result.Updated));
    }
}
