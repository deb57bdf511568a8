using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;

namespace HcmCity.Web.GeoJson;

/// <summary>A web link as OGC API documents and our collections carry them (RFC 8288 relation types).</summary>
public sealed record JsonLink(string Href, string Rel, string Type, string? Title = null);

public static class JsonLinks
{
    public static void Write(Utf8JsonWriter writer, IEnumerable<JsonLink> links)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(links);
        writer.WriteStartArray("links");
        foreach (var link in links)
        {
            writer.WriteStartObject();
            writer.WriteString("href", link.Href);
            writer.WriteString("rel", link.Rel);
            writer.WriteString("type", link.Type);
            if (link.Title is not null)
            {
                writer.WriteString("title", link.Title);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Absolute URL of <paramref name="path"/> on this server, as the client addressed it.</summary>
    public static string Absolute(HttpRequest request, string path)
    {
        ArgumentNullException.ThrowIfNull(request);
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, path);
    }

    /// <summary>The current request's URL with <c>offset</c> (and every other parameter kept) set to <paramref name="offset"/>.</summary>
    public static string WithOffset(HttpRequest request, long offset)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new QueryBuilder(request.Query.Where(p => !string.Equals(p.Key, "offset", StringComparison.OrdinalIgnoreCase)))
        {
            { "offset", offset.ToString(CultureInfo.InvariantCulture) },
        };
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, query.ToQueryString());
    }

    /// <summary>
    /// self, next (when more matched than this page reaches, and the next page starts at <paramref name="maxOffset"/>
    /// at most) and prev links of an offset-paged result.
    /// </summary>
    public static List<JsonLink> Page(
        HttpRequest request, string type, long offset, int limit, int returned, long numberMatched, long maxOffset = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(request);
        var links = new List<JsonLink> { new(UriHelper.GetEncodedUrl(request), "self", type, "Trang này / this page") };
        if (returned > 0 && offset + returned < numberMatched && offset + returned <= maxOffset)
        {
            links.Add(new(WithOffset(request, offset + returned), "next", type, "Trang sau / next page"));
        }

        if (offset > 0)
        {
            links.Add(new(WithOffset(request, Math.Max(0, offset - limit)), "prev", type, "Trang trước / previous page"));
        }

        return links;
    }
}
