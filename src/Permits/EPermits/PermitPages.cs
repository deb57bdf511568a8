using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using HcmCity.Abstractions.Permits;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// The permit as a printable page (Vietnamese first, English beside it) with a QR code, and the page that QR code
/// opens. The QR code carries the whole JWS after '#': a browser never sends the fragment to a server, and an
/// agency can verify it offline with the public key alone.
/// </summary>
public static class PermitPages
{
    /// <summary>Escapes markup but keeps Vietnamese letters as text (the default encoder turns them into entities).</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Vietnamese number style (15,8 m) without ICU data: the platform runs in globalization-invariant mode.</summary>
    private static readonly NumberFormatInfo Vietnamese = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };

    private const string Style = """
        body{font-family:"Times New Roman",serif;background:#f4f1ea;margin:0;color:#111}
        main{max-width:52rem;margin:1.5rem auto;background:#fff;padding:2rem 2.5rem;box-shadow:0 0 .5rem #0002}
        header{display:flex;justify-content:space-between;text-align:center;font-weight:bold;gap:2rem}
        h1{text-align:center;margin:1.5rem 0 .25rem}h1 small{display:block;font-size:.9rem;font-weight:normal}
        .no{text-align:center}.en{color:#555;font-size:.85em}
        .status{margin:1rem 0;padding:.75rem 1rem;border:2px solid;font-weight:bold}
        .valid{border-color:#1a7f37;color:#1a7f37}.invalid{border-color:#b42318;color:#b42318}
        dl{display:grid;grid-template-columns:16rem 1fr;gap:.4rem 1rem}dt{font-weight:bold}dd{margin:0}
        figure{display:flex;gap:1rem;align-items:center;margin:1.5rem 0 0}figure svg{width:14rem;height:14rem}
        figcaption{font-size:.8rem;word-break:break-all}
        textarea{width:100%;min-height:8rem;font-family:monospace}
        @media print{body{background:#fff}main{box-shadow:none;margin:0}}
        """;

    public static string PageUrl(EPermitOptions options, HttpRequest request, string number) =>
        $"{BaseUrl(options, request)}/permits/{Uri.EscapeDataString(number)}";

    /// <summary>The address the QR code encodes: the verify page with the JWS in the fragment.</summary>
    public static string VerifyUrl(EPermitOptions options, HttpRequest request, string jws) =>
        $"{BaseUrl(options, request)}/permits/verify#{jws}";

    /// <summary>SVG QR code (ECC level M: a printed permit survives a fold or a stain).</summary>
    public static string QrSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(4, "#000000", "#ffffff", true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    public static string Permit(
        StoredPermit permit, PermitClaims claims, PermitVerification verification, bool showHolder, string verifyUrl)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Giấy phép xây dựng {E(permit.Number)} / Construction permit</title><style>{Style}</style></head>
            <body><main>
            <header><div>{E(claims.Issuer.ToUpperInvariant())}</div>
            <div>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</div></header>
            <h1>{E(PermitTypes.VietnameseName(claims.Type).ToUpperInvariant())}<small>Construction permit ({E(claims.Type)})</small></h1>
            <p class="no">Số / No.: <strong id="permit-number">{E(permit.Number)}</strong></p>
            {Status(verification)}
            <dl>
            <dt>Hồ sơ số <span class="en">/ Dossier</span></dt><dd>{E(claims.Dossier)}</dd>
            <dt>Chủ đầu tư <span class="en">/ Holder</span></dt><dd>{E(Holder(permit, claims, showHolder))}</dd>
            <dt>Thửa đất <span class="en">/ Parcel</span></dt><dd id="parcel">Thửa số {E(claims.Parcel.Number)}, tờ bản đồ số {E(claims.Parcel.Sheet)}, đơn vị {E(claims.Parcel.Unit)} <span class="en">(parcel {E(claims.Parcel.Number)}, sheet {E(claims.Parcel.Sheet)}, unit {E(claims.Parcel.Unit)}, id {claims.Parcel.Id})</span></dd>
            <dt>Quy mô <span class="en">/ Scope</span></dt><dd>{Scope(claims.Scope)}</dd>
            <dt>Điều kiện <span class="en">/ Conditions</span></dt><dd>{Conditions(claims.Conditions)}</dd>
            <dt>Ngày cấp <span class="en">/ Issued</span></dt><dd>{PermitVerification.Date(claims.IssuedAt)}</dd>
            {Period(claims)}
            </dl>
            {SiteConditions(claims.SiteConditions)}
            <figure>{QrSvg(verifyUrl)}
            <figcaption>Quét mã để kiểm tra tính xác thực <span class="en">/ Scan to verify</span>.<br>
            Ký số ES256 (JWS), khóa <span class="en">key</span> {E(permit.KeyId)}; khóa công khai <span class="en">public keys</span>: /api/permits/keys</figcaption></figure>
            </main></body></html>
            """);
        return html.ToString();
    }

    public static ContentHttpResult VerifyPage() => TypedResults.Content($$"""
        <!doctype html>
        <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>Kiểm tra giấy phép xây dựng / Verify a construction permit</title><style>{{Style}}</style></head>
        <body><main>
        <h1>Kiểm tra giấy phép xây dựng<small>Verify a construction permit</small></h1>
        <div id="result" class="status" hidden></div>
        <ul id="problems"></ul>
        <label for="jws">JWS của giấy phép <span class="en">/ the permit's JWS</span></label>
        <textarea id="jws"></textarea>
        <p><button id="check" type="button">Kiểm tra / Verify</button></p>
        <script>
        const box = document.getElementById('jws');
        async function check() {
          const response = await fetch('/api/permits/verify', {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jws: box.value.trim() }) });
          const body = await response.json();
          const result = document.getElementById('result');
          const problems = document.getElementById('problems');
          problems.replaceChildren();
          result.hidden = false;
          if (!response.ok) {
            result.className = 'status invalid';
            result.textContent = 'Không phải giấy phép điện tử / Not an e-permit: ' + (body.detail || response.status);
            return;
          }
          result.className = 'status ' + (body.valid ? 'valid' : 'invalid');
          result.textContent = (body.valid ? 'HỢP LỆ / VALID: ' : 'KHÔNG HỢP LỆ / NOT VALID: ') + body.permitNumber +
            ' · xác thực/genuine: ' + body.genuine + ' · nguyên vẹn/unaltered: ' + body.unaltered +
            ' · hết hạn/expires: ' + body.expiresAt.slice(0, 10);
          for (const p of body.problems) {
            const li = document.createElement('li');
            li.textContent = p;
            problems.append(li);
          }
        }
        document.getElementById('check').addEventListener('click', check);
        if (location.hash.length > 1) {
          box.value = decodeURIComponent(location.hash.slice(1));
          check();
        }
        </script>
        </main></body></html>
        """, "text/html; charset=utf-8");

    private static string Status(PermitVerification verification)
    {
        if (verification.Valid)
        {
            return $"""<div class="status valid" id="status">Còn hiệu lực <span class="en">/ Valid</span> — đến <span class="en">until</span> {PermitVerification.Date(verification.ExpiresAt)}</div>""";
        }
        var headline = verification switch
        {
            { Revoked: true } => $"ĐÃ THU HỒI ngày {PermitVerification.Date(verification.RevokedAt!.Value)} <span class=\"en\">/ REVOKED</span> — lý do <span class=\"en\">reason</span>: {E(verification.Reason!)}",
            { Suspended: true } => "ĐANG BỊ ĐÌNH CHỈ THI CÔNG <span class=\"en\">/ CONSTRUCTION SUSPENDED</span>",
            { Completed: true } => "ĐÃ HOÀN CÔNG <span class=\"en\">/ CONSTRUCTION COMPLETED</span>",
            { Expired: true } => "ĐÃ HẾT HIỆU LỰC <span class=\"en\">/ EXPIRED</span>",
            _ => "KHÔNG CÒN HIỆU LỰC <span class=\"en\">/ NOT VALID</span>",
        };
        var problems = string.Concat(verification.Problems.Select(p => $"<li>{E(p)}</li>"));
        return $"""<div class="status invalid" id="status">{headline}<ul>{problems}</ul></div>""";
    }

    /// <summary>Version 1 permits carry only the start-by instant; version 2 the start-by date and the end of the construction period.</summary>
    private static string Period(PermitClaims claims) => claims.SiteConditions is { } site
        ? $"""<dt>Phải khởi công trước <span class="en">/ Construction must start by</span></dt><dd id="start-by">{Day(site.StartBy)}</dd>""" +
          $"""<dt>Thời hạn thi công đến <span class="en">/ Construction period until</span></dt><dd id="valid-until">{Day(site.ValidUntil)}</dd>"""
        : $"""<dt>Phải khởi công trước <span class="en">/ Construction must start by</span></dt><dd>{PermitVerification.Date(claims.ValidUntil)}</dd>""";

    /// <summary>The machine-readable site conditions as a table an inspector can read on site, Vietnamese first.</summary>
    private static string SiteConditions(PermitSiteConditions? site)
    {
        if (site is null)
        {
            return "";
        }
        var zone = site.Zone == PermitZones.Special
            ? "khu vực đặc biệt <span class=\"en\">(special zone)</span>"
            : "khu vực thông thường <span class=\"en\">(normal zone)</span>";
        var night = site.NightWorkAllowed
            ? "được thi công ban đêm <span class=\"en\">(night work allowed)</span>"
            : "không thi công ban đêm <span class=\"en\">(no night work)</span>";
        var tilt = (site.TiltWarningDeg, site.TiltStopDeg) switch
        {
            ({ } w, { } s) => Number($"cảnh báo {w:0.###}°, dừng thi công {s:0.###}° <span class=\"en\">(warning {w:0.###}°, stop work {s:0.###}°)</span>"),
            ({ } w, null) => Number($"cảnh báo {w:0.###}° <span class=\"en\">(warning)</span>"),
            (null, { } s) => Number($"dừng thi công {s:0.###}° <span class=\"en\">(stop work)</span>"),
            _ => "không quy định <span class=\"en\">(none)</span>",
        };
        var vibrationNight = site.VibrationNightDb is { } vn
            ? Number($"{vn:0.#} dB")
            : "mức nền <span class=\"en\">(background level)</span>";
        return $"""
            <h2>Điều kiện thi công <span class="en">/ Site conditions</span></h2>
            <dl id="site-conditions">
            <dt>Vùng <span class="en">/ Zone</span> (QCVN 26:2010/BTNMT)</dt><dd id="zone">{zone}</dd>
            <dt>Giờ làm việc <span class="en">/ Working hours</span></dt><dd id="hours">{Clock(site.DayStart)}–{Clock(site.NightStart)}; {night}</dd>
            <dt>Tiếng ồn L<sub>Aeq</sub> <span class="en">/ Noise</span></dt><dd id="noise">{Number($"ngày {site.NoiseDayDb:0.#} dBA, đêm {site.NoiseNightDb:0.#} dBA <span class=\"en\">(day {site.NoiseDayDb:0.#}, night {site.NoiseNightDb:0.#} dBA)</span>")}</dd>
            <dt>Rung <span class="en">/ Vibration</span> (TCVN 6962:2001)</dt><dd id="vibration">{Number($"ngày {site.VibrationDayDb:0.#} dB")}, đêm <span class="en">night</span> {vibrationNight}</dd>
            <dt>Bụi trung bình 24 giờ <span class="en">/ Dust, 24 h mean</span> (QCVN 05:2023/BTNMT)</dt><dd id="dust">{Number($"PM10 {site.Pm10DayUg:0.#} µg/m³, PM2,5 {site.Pm25DayUg:0.#} µg/m³")}</dd>
            <dt>Nghiêng công trình lân cận <span class="en">/ Tilt of adjoining buildings</span></dt><dd id="tilt">{tilt}</dd>
            <dt>Căn cứ <span class="en">/ Limits checked against</span></dt><dd>{E(site.RuleSet)}</dd>
            </dl>
            """;
    }

    private static string Number(FormattableString text) => text.ToString(Vietnamese);

    private static string Day(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Holder(StoredPermit permit, PermitClaims claims, bool showHolder) =>
        showHolder && permit.HolderName is { Length: > 0 } name
            ? name
            : claims.HolderInitials ?? $"Theo hồ sơ {claims.Dossier} / as in dossier {claims.Dossier}";

    private static string Scope(PermitScope scope)
    {
        var gross = scope.GrossFloorAreaM2 is { } area
            ? string.Create(Vietnamese, $", tổng diện tích sàn {area:0.##} m²")
            : "";
        return string.Create(Vietnamese,
            $"{scope.Floors} tầng, {scope.Basements} tầng hầm, chiều cao {scope.HeightM:0.##} m, diện tích xây dựng {scope.FootprintM2:0.##} m²{gross} ") +
            string.Create(CultureInfo.InvariantCulture,
            $"<span class=\"en\">({scope.Floors} floors, {scope.Basements} basements, height {scope.HeightM:0.##} m, footprint {scope.FootprintM2:0.##} m²)</span>");
    }

    private static string Conditions(IReadOnlyList<string> conditions) => conditions.Count == 0
        ? "Không / None"
        : $"<ol>{string.Concat(conditions.Select(c => $"<li>{E(c)}</li>"))}</ol>";

    private static string BaseUrl(EPermitOptions options, HttpRequest request) =>
        options.PublicBaseUrl is { } configured
            ? configured.ToString().TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";

    private static string E(string text) => Html.Encode(text);
}
