namespace Forgeline.Rpm;

/// <summary>Tag numbers of the RPM main header (the values of rpm's RPMTAG_* constants).</summary>
public static class RpmTag
{
    /// <summary>Region tag of a legacy header image (61).</summary>
    public const int HeaderImage = 61;

    /// <summary>Region tag that covers the whole signature header (62).</summary>
    public const int HeaderSignatures = 62;

    /// <summary>Region tag that covers the immutable main header (63).</summary>
    public const int HeaderImmutable = 63;

    /// <summary>Table of locales that I18N string entries are indexed by (100).</summary>
    public const int HeaderI18nTable = 100;

    /// <summary>Package name (1000).</summary>
    public const int Name = 1000;

    /// <summary>Package version (1001).</summary>
    public const int Version = 1001;

    /// <summary>Package release (1002).</summary>
    public const int Release = 1002;

    /// <summary>Package epoch, absent when the epoch is unset (1003).</summary>
    public const int Epoch = 1003;

    /// <summary>One-line summary, an I18N string (1004).</summary>
    public const int Summary = 1004;

    /// <summary>Long description, an I18N string (1005).</summary>
    public const int Description = 1005;

    /// <summary>Build time in seconds since the Unix epoch (1006).</summary>
    public const int BuildTime = 1006;

    /// <summary>Host the package was built on (1007).</summary>
    public const int BuildHost = 1007;

    /// <summary>Installed size in bytes, 32-bit (1009).</summary>
    public const int Size = 1009;

    /// <summary>Distribution name (1010).</summary>
    public const int Distribution = 1010;

    /// <summary>Vendor name (1011).</summary>
    public const int Vendor = 1011;

    /// <summary>License expression (1014).</summary>
    public const int License = 1014;

    /// <summary>Packager (1015).</summary>
    public const int Packager = 1015;

    /// <summary>Package group, an I18N string (1016).</summary>
    public const int Group = 1016;

    /// <summary>Upstream URL (1020).</summary>
    public const int Url = 1020;

    /// <summary>Target operating system (1021).</summary>
    public const int Os = 1021;

    /// <summary>Target architecture (1022).</summary>
    public const int Arch = 1022;

    /// <summary>Pre-install scriptlet (1023).</summary>
    public const int PreInstall = 1023;

    /// <summary>Post-install scriptlet (1024).</summary>
    public const int PostInstall = 1024;

    /// <summary>Pre-uninstall scriptlet (1025).</summary>
    public const int PreUninstall = 1025;

    /// <summary>Post-uninstall scriptlet (1026).</summary>
    public const int PostUninstall = 1026;

    /// <summary>Sizes of the packaged files (1028).</summary>
    public const int FileSizes = 1028;

    /// <summary>Modes of the packaged files, 16-bit (1030).</summary>
    public const int FileModes = 1030;

    /// <summary>Digests of the packaged files (1035, historically FILEMD5S).</summary>
    public const int FileDigests = 1035;

    /// <summary>Symbolic link targets of the packaged files (1036).</summary>
    public const int FileLinkTos = 1036;

    /// <summary>Flags of the packaged files (1037).</summary>
    public const int FileFlags = 1037;

    /// <summary>Owning user names of the packaged files (1039).</summary>
    public const int FileUserName = 1039;

    /// <summary>Owning group names of the packaged files (1040).</summary>
    public const int FileGroupName = 1040;

    /// <summary>File name of the source package; absent in source packages (1044).</summary>
    public const int SourceRpm = 1044;

    /// <summary>Names of the capabilities the package provides (1047).</summary>
    public const int ProvideName = 1047;

    /// <summary>Comparison flags of the requirements (1048).</summary>
    public const int RequireFlags = 1048;

    /// <summary>Names of the capabilities the package requires (1049).</summary>
    public const int RequireName = 1049;

    /// <summary>Versions of the requirements (1050).</summary>
    public const int RequireVersion = 1050;

    /// <summary>Comparison flags of the conflicts (1053).</summary>
    public const int ConflictFlags = 1053;

    /// <summary>Names of the capabilities the package conflicts with (1054).</summary>
    public const int ConflictName = 1054;

    /// <summary>Versions of the conflicts (1055).</summary>
    public const int ConflictVersion = 1055;

    /// <summary>Changelog entry times (1080).</summary>
    public const int ChangelogTime = 1080;

    /// <summary>Changelog entry authors (1081).</summary>
    public const int ChangelogName = 1081;

    /// <summary>Changelog entry texts (1082).</summary>
    public const int ChangelogText = 1082;

    /// <summary>Names of the capabilities the package obsoletes (1090).</summary>
    public const int ObsoleteName = 1090;

    /// <summary>Build cookie (1094).</summary>
    public const int Cookie = 1094;

    /// <summary>Marker present in source packages (1106).</summary>
    public const int SourcePackage = 1106;

    /// <summary>Comparison flags of the provides (1112).</summary>
    public const int ProvideFlags = 1112;

    /// <summary>Versions of the provides (1113).</summary>
    public const int ProvideVersion = 1113;

    /// <summary>Comparison flags of the obsoletes (1114).</summary>
    public const int ObsoleteFlags = 1114;

    /// <summary>Versions of the obsoletes (1115).</summary>
    public const int ObsoleteVersion = 1115;

    /// <summary>Index into DirNames for every packaged file (1116).</summary>
    public const int DirIndexes = 1116;

    /// <summary>Base names of the packaged files (1117).</summary>
    public const int BaseNames = 1117;

    /// <summary>Directory names of the packaged files (1118).</summary>
    public const int DirNames = 1118;

    /// <summary>Compiler optimisation flags used for the build (1122).</summary>
    public const int OptFlags = 1122;

    /// <summary>Payload archive format, normally "cpio" (1124).</summary>
    public const int PayloadFormat = 1124;

    /// <summary>Payload compressor: "gzip", "xz", "zstd", ... (1125).</summary>
    public const int PayloadCompressor = 1125;

    /// <summary>Payload compression flags, e.g. the level (1126).</summary>
    public const int PayloadFlags = 1126;

    /// <summary>Build platform triplet (1132).</summary>
    public const int Platform = 1132;

    /// <summary>Installed size in bytes, 64-bit (5009).</summary>
    public const int LongSize = 5009;

    /// <summary>Algorithm of the file digests (5011).</summary>
    public const int FileDigestAlgo = 5011;

    /// <summary>Character encoding of the header strings (5062).</summary>
    public const int Encoding = 5062;

    /// <summary>Digest of the compressed payload (5092).</summary>
    public const int PayloadDigest = 5092;

    /// <summary>Algorithm of the payload digest (5093).</summary>
    public const int PayloadDigestAlgo = 5093;

    /// <summary>Digest of the uncompressed payload (5097).</summary>
    public const int PayloadDigestAlt = 5097;
}
