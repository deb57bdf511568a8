using System.Text.Json;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Import;

/// <summary>
/// Walks a GeoJSON FeatureCollection from a stream and hands out one feature's bytes at a time, so that a file of
/// hundreds of megabytes is read with a buffer the size of its largest feature. Also picks up the GDAL-style
/// <c>crs</c> member ({"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}}).
/// </summary>
internal sealed class GeoJsonFeatureSplitter(Stream stream, string path)
{
    private const int InitialBufferSize = 1 << 16;

    private byte[] _buffer = new byte[InitialBufferSize];
    private long _offset;
    private int _start;
    private int _end;
    private bool _isFinalBlock;
    private JsonReaderState _state;
    private Phase _phase = Phase.Start;
    private bool _featuresSeen;

    public enum Step
    {
        Feature,
        NeedMoreData,
        End,
    }

    private enum Phase
    {
        Start,
        Members,
        Features,
        Done,
    }

    /// <summary>The <c>crs</c> member's name, when the file has one.</summary>
    public string? Crs { get; private set; }

    /// <summary>True when the <c>crs</c> member came after the features (no known writer does this).</summary>
    public bool CrsAfterFeatures { get; private set; }

    /// <summary>
    /// The next feature object's bytes, valid until the next call. <see cref="Step.NeedMoreData"/> asks the caller
    /// to <see cref="Fill"/> or <see cref="FillAsync"/> and call again.
    /// </summary>
    public Step Next(out ReadOnlyMemory<byte> feature)
    {
        feature = default;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _isFinalBlock, _state);
        try
        {
            while (true)
            {
                var checkpointState = reader.CurrentState;
                var checkpoint = (int)reader.BytesConsumed;
                var unit = ReadUnit(ref reader, out var featureStart);
                if (unit == Unit.Incomplete)
                {
                    if (_isFinalBlock)
                    {
                        throw new InvalidDataException($"{path}: the GeoJSON ends before the FeatureCollection is closed.");
                    }

                    _start += checkpoint;
                    _state = checkpointState;
                    return Step.NeedMoreData;
                }

                if (unit == Unit.End)
                {
                    return Step.End;
                }

                if (unit == Unit.Feature)
                {
                    var consumed = (int)reader.BytesConsumed;
                    feature = _buffer.AsMemory(_start + featureStart, consumed - featureStart);
                    _start += consumed;
                    _state = reader.CurrentState;
                    return Step.Feature;
                }
            }
        }
        catch (JsonException error)
        {
            throw new InvalidDataException(
                $"{path}: invalid JSON near byte {_offset + _start + reader.BytesConsumed}: {error.Message}", error);
        }
    }

    public void Fill()
    {
        MakeRoom();
        Received(stream.Read(_buffer, _end, _buffer.Length - _end));
    }

    public async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        MakeRoom();
        Received(await stream.ReadAsync(_buffer.AsMemory(_end, _buffer.Length - _end), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Moves unconsumed bytes to the front; grows the buffer when one feature outsizes it.</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            _offset += _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }

    private void Received(int bytesRead)
    {
        _end += bytesRead;
        _isFinalBlock = bytesRead == 0;
        if (_offset == 0 && _phase == Phase.Start && _start == 0 && _buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8))
        {
            // Windows tools write a UTF-8 byte order mark, which the JSON reader does not accept.
            _start = 3;
        }
    }

    private enum Unit
    {
        Other,
        Feature,
        Incomplete,
        End,
    }

    private Unit ReadUnit(ref Utf8JsonReader reader, out int featureStart)
    {
        featureStart = 0;
        switch (_phase)
        {
            case Phase.Start:
                if (!reader.Read())
                {
                    return Unit.Incomplete;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new InvalidDataException($"{path}: not a GeoJSON object.");
                }

                _phase = Phase.Members;
                return Unit.Other;

            case Phase.Members:
                return ReadMember(ref reader);

            case Phase.Features:
                if (!reader.Read())
                {
                    return Unit.Incomplete;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _phase = Phase.Members;
                    return Unit.Other;
                }

                featureStart = (int)reader.TokenStartIndex;
                return reader.TrySkip() ? Unit.Feature : Unit.Incomplete;

            default:
                return Unit.End;
        }
    }

    private Unit ReadMember(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return Unit.Incomplete;
        }

        if (reader.TokenType == JsonTokenType.EndObject)
        {
            if (!_featuresSeen)
            {
                throw new InvalidDataException($"{path}: not a FeatureCollection (no \"features\" member).");
            }

            _phase = Phase.Done;
            return Unit.End;
        }

        var name = reader.GetString();
        if (!reader.Read())
        {
            return Unit.Incomplete;
        }

        switch (name)
        {
            case "features" when reader.TokenType == JsonTokenType.StartArray:
                _featuresSeen = true;
                _phase = Phase.Features;
                return Unit.Other;

            case "type" when reader.TokenType == JsonTokenType.String:
                if (!reader.ValueTextEquals("FeatureCollection"u8))
                {
                    throw new InvalidDataException($"{path}: a GeoJSON {reader.GetString()}, not a FeatureCollection.");
                }

                return Unit.Other;

            case "crs":
                var valueStart = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    return Unit.Incomplete;
                }

                var value = _buffer.AsSpan(_start + valueStart, (int)reader.BytesConsumed - valueStart);
                Crs = ReadCrsName(value);
                CrsAfterFeatures = _featuresSeen;
                return Unit.Other;

            default:
                return reader.TrySkip() ? Unit.Other : Unit.Incomplete;
        }
    }

    private string? ReadCrsName(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("properties", out var properties)
            && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("name", out var crsName)
            && crsName.ValueKind == JsonValueKind.String)
        {
            return crsName.GetString();
        }

        throw new InvalidDataException($"{path}: the \"crs\" member is not a named CRS ({{\"type\":\"name\",\"properties\":{{\"name\":...}}}}).");
    }
}
