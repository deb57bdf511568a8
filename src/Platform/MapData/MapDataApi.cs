using HcmCity.Gis.Parcels;
using HcmCity.Permits;
using HcmCity.LandRecords.Parcels;
using HcmCity.Web.GeoJson;
using HcmCity.Gis.Tiles;
using HcmCity.LandRecords;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace HcmCity.Platform.MapData;

/// <summary>What the web map needs besides tiles: where to open, and the ward (phường, xã) boundaries.</summary>
public static class MapDataApi
{
    public static IEndpointRouteBuilder MapMapDataApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Map");
        group.MapGet("/map/config", GetConfigAsync)
            .WithName("GetMapConfig")
            .WithSummary("Cấu hình bản đồ: tâm, mức thu phóng, phạm vi dữ liệu / Map configuration: centre, zoom and data bounds");
        group.MapGet("/wards", GetWards)
            .WithName("GetWards")
            .WithSummary("Ranh giới phường, xã (GeoJSON) / Ward and commune boundaries as GeoJSON");
        return app;
    }

    public static async Task<GeoJsonResult> GetConfigAsync(
        WardBoundaries wards, [FromServices] NpgsqlDataSource? dataSource, [FromServices] Permits.Demo.DemoWorkList? demo,
        CancellationToken cancellationToken)
    {
        var extent = await MapExtent.OfParcelsAsync(wards, dataSource, cancellationToken);
        var (lon, lat, zoom) = MapExtent.View(extent);
        return GeoJsonResult.Json(stream =>
        {
            var writer = stream.Writer;
            writer.WriteStartObject();
            writer.WriteStartArray("center");
            writer.WriteNumberValue(Math.Round(lon, 6));
            writer.WriteNumberValue(Math.Round(lat, 6));
            writer.WriteEndArray();
            writer.WriteNumber("zoom", zoom);
            writer.WriteStartArray("bounds");
            writer.WriteNumberValue(Math.Round(extent.MinX, 6));
            writer.WriteNumberValue(Math.Round(extent.MinY, 6));
            writer.WriteNumberValue(Math.Round(extent.MaxX, 6));
            writer.WriteNumberValue(Math.Round(extent.MaxY, 6));
            writer.WriteEndArray();
            writer.WriteNumber("parcelMinZoom", ParcelTileOptions.Default.MinZoom);
            if (demo?.OfficerUnit is { } unit)
            {
                // Embedded mode: the unit of the demo dossiers, which the sign-in form offers to a demo officer.
                writer.WriteStartObject("demo");
                writer.WriteString("officerUnit", unit);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            return ValueTask.CompletedTask;
        });
    }

    public static GeoJsonResult GetWards(WardBoundaries wards)
    {
        var all = wards.All;
        return GeoJsonResult.GeoJson(async stream =>
        {
            var writer = stream.Writer;
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            foreach (var ward in all)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "Feature");
                writer.WriteString("id", ward.Code);
                writer.WritePropertyName("geometry");
                ParcelGeoJson.WriteGeometry(writer, ward.Boundary);
                writer.WriteStartObject("properties");
                writer.WriteString("code", ward.Code);
                writer.WriteString("name", ward.Name);
                writer.WriteEndObject();
                writer.WriteEndObject();
                await stream.FlushIfFullAsync();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
