using System.Globalization;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Synthetic;

/// <summary>
/// Names for the synthetic city. The first units take real HCMC ward and commune names with their GSO codes
/// as of 2019 (before the 2021 Thủ Đức and 2025 mergers), so the demo reads like the city; the rest are numbered
/// with codes from 90001 up, a range no GSO unit uses.
/// </summary>
internal static class Names
{
    private static readonly (string Code, string Name)[] Wards =
    [
        ("26743", "Phường Bến Thành"),
        ("26740", "Phường Bến Nghé"),
        ("26734", "Phường Tân Định"),
        ("26737", "Phường Đa Kao"),
        ("26746", "Phường Nguyễn Thái Bình"),
        ("26749", "Phường Phạm Ngũ Lão"),
        ("26752", "Phường Cầu Ông Lãnh"),
        ("26755", "Phường Cô Giang"),
        ("26758", "Phường Nguyễn Cư Trinh"),
        ("26761", "Phường Cầu Kho"),
        ("27088", "Phường Thảo Điền"),
        ("27091", "Phường An Phú"),
        ("27118", "Phường Thủ Thiêm"),
        ("27466", "Phường Tân Thuận Đông"),
        ("27469", "Phường Tân Thuận Tây"),
        ("27472", "Phường Tân Kiểng"),
        ("27475", "Phường Tân Hưng"),
        ("27478", "Phường Bình Thuận"),
    ];

    private static readonly (string Code, string Name)[] Communes =
    [
        ("27601", "Xã Vĩnh Lộc A"),
        ("27604", "Xã Vĩnh Lộc B"),
        ("27610", "Xã Lê Minh Xuân"),
        ("27613", "Xã Tân Nhựt"),
        ("27616", "Xã Tân Kiên"),
        ("27619", "Xã Bình Hưng"),
        ("27622", "Xã Phong Phú"),
        ("27625", "Xã An Phú Tây"),
        ("27628", "Xã Hưng Long"),
        ("27631", "Xã Đa Phước"),
        ("27646", "Xã Phước Kiển"),
        ("27649", "Xã Phước Lộc"),
        ("27652", "Xã Nhơn Đức"),
        ("27655", "Xã Phú Xuân"),
        ("27658", "Xã Long Thới"),
        ("27661", "Xã Hiệp Phước"),
        ("27562", "Xã Tân Hiệp"),
        ("27565", "Xã Nhị Bình"),
        ("27568", "Xã Đông Thạnh"),
        ("27499", "Xã Phú Mỹ Hưng"),
    ];

    /// <summary>Real HCMC street names, for arterials and local streets (đường); narrow ones become alleys (hẻm).</summary>
    private static readonly string[] Streets =
    [
        "Nguyễn Huệ", "Lê Lợi", "Đồng Khởi", "Hai Bà Trưng", "Pasteur", "Nam Kỳ Khởi Nghĩa", "Điện Biên Phủ",
        "Võ Văn Kiệt", "Nguyễn Thị Minh Khai", "Cách Mạng Tháng Tám", "Trần Hưng Đạo", "Lý Tự Trọng", "Lê Duẩn",
        "Nguyễn Đình Chiểu", "Võ Thị Sáu", "Phạm Ngọc Thạch", "Hàm Nghi", "Tôn Đức Thắng", "Nguyễn Trãi",
        "Lê Thánh Tôn", "Calmette", "Nguyễn Văn Cừ", "Trần Quang Khải", "Đinh Tiên Hoàng", "Nguyễn Văn Trỗi",
        "Hoàng Văn Thụ", "Trường Chinh", "Lý Thường Kiệt", "Phan Đăng Lưu", "Xô Viết Nghệ Tĩnh", "Bạch Đằng",
        "Nguyễn Oanh", "Quang Trung", "Lê Văn Sỹ", "Trần Não", "Nguyễn Hữu Thọ", "Huỳnh Tấn Phát", "Kinh Dương Vương",
    ];

    /// <param name="urbanOrdinal">0-based rank of the unit among urban wards (or among communes).</param>
    public static (string Code, string Name) Unit(bool isUrban, int urbanOrdinal, int index)
    {
        var real = isUrban ? Wards : Communes;
        if (urbanOrdinal < real.Length)
        {
            return real[urbanOrdinal];
        }

        var number = (urbanOrdinal - real.Length + 1).ToString(CultureInfo.InvariantCulture);
        var code = (90001 + index).ToString("D5", CultureInfo.InvariantCulture);
        return (code, isUrban ? $"Phường {number}" : $"Xã {number}");
    }

    public static string Street(int seed, long axis, long line)
    {
        var rng = SplitMix64.Derive(seed, SplitMix64.Purpose.Name, axis, line);
        return "Đường " + Streets[rng.Next(Streets.Length)];
    }

    /// <summary>HCMC alleys are numbered after the house number where they leave the street: "Hẻm 42 Nguyễn Trãi".</summary>
    public static string Alley(int number, string street) =>
        $"Hẻm {number.ToString(CultureInfo.InvariantCulture)} {street["Đường ".Length..]}";
}
