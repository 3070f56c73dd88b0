using Forgeline.Builds.Targets;
using Forgeline.Core;
using Forgeline.Core.Targets;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds.Tests.Targets;

/// <summary>Build targets: made, replaced, listed and deleted through the service; checked; and read from the settings.</summary>
public abstract class TargetServiceTests(DatabaseEngine engine) : IAsyncLifetime
{
    private const string Key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n";
    private BuildsHarness harness = null!;

    public async Task InitializeAsync() => harness = await BuildsHarness.CreateAsync(engine, new()
    {
        ["Forgeline:Targets:fedora-41:Arch"] = "aarch64",
        ["Forgeline:Targets:fedora-41:Repositories:fedora:Url"] = "https://dl.fedoraproject.org/pub/fedora/linux/releases/41/Everything/aarch64/os/",
        ["Forgeline:Targets:fedora-41:BasePackages:0"] = "@buildsys-build",
        ["Forgeline:Targets:fedora-41:BasePackages:1"] = "fedora-release",
        ["Forgeline:Targets:fedora-41:RpmDbPath"] = "/usr/lib/sysimage/rpm",
        ["Forgeline:Targets:fedora-41:DistTag"] = ".fc41",
    });

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_target_is_made_with_defaults_replaced_and_listed_beside_the_settings_ones()
    {
        var made = await PutAsync("openEuler-24.03", new PutTargetRequest("x86_64", [new("base", "https://repo.openeuler.org/openEuler-24.03-LTS/OS/x86_64/", Key), new("update", "file:///srv/update/")]));
        made.IsSuccess.ShouldBeTrue(made.Message);
        made.Value!.BasePackages.ShouldBe(["@buildsys-build"]);
        made.Value.RpmDbPath.ShouldBe("/var/lib/rpm");
        made.Value.ReleaseVersion.ShouldBe("1");
        made.Value.Source.ShouldBe("api");
        made.Value.Repositories.Select(r => r.Id).ShouldBe(["base", "update"], "the order given is kept");

        var replaced = (await PutAsync("openEuler-24.03", new PutTargetRequest("x86_64", [new("base", "https://example.org/os/")], ["bash", "rpm-build"],
            new Dictionary<string, string> { ["_smp_mflags"] = "-j2" }, ".oe2403", "/usr/lib/sysimage/rpm", "24.03"))).Value!;
        replaced.Digest.ShouldNotBe(made.Value.Digest, "another definition has another digest");
        replaced.BasePackages.ShouldBe(["bash", "rpm-build"]);

        var all = await harness.InScopeAsync(sp => sp.GetRequiredService<TargetService>().ListAsync(default));
        all.Select(t => (t.Name, t.Source)).ShouldBe([("fedora-41", "settings"), ("openEuler-24.03", "api")]);
        var fedora = all[0];
        (fedora.Arch, fedora.RpmDbPath, fedora.DistTag).ShouldBe(("aarch64", "/usr/lib/sysimage/rpm", ".fc41"));
        fedora.BasePackages.ShouldBe(["@buildsys-build", "fedora-release"]);
        var shown = await Service(s => s.GetAsync("openEuler-24.03", default));
        shown.Value!.Macros["_smp_mflags"].ShouldBe("-j2");
        shown.Value.Digest.ShouldBe(replaced.Digest, "the stored definition reads back the same");
    }

    [Theory]
    [InlineData("x86-64", "not an architecture a target can build for; use one of x86_64, aarch64")]
    [InlineData("noarch", "loongarch64, armv7hl")]
    public async Task An_unknown_arch_is_refused_naming_the_allowed_ones(string arch, string expected)
    {
        var refused = await PutAsync("t", new PutTargetRequest(arch, [new("base", "https://example.org/")]));
        refused.Error.ShouldBe(ServiceError.Invalid);
        refused.Message!.ShouldContain(expected);
    }

    [Theory]
    [InlineData("ftp://mirror.example.org/os/", "use http://, https:// or file://")]
    [InlineData("not a url", "not a repository URL")]
    [InlineData("/srv/repo", "not a repository URL")]
    public async Task A_repository_url_other_than_http_https_or_file_is_refused(string url, string expected)
    {
        var refused = await PutAsync("t", new PutTargetRequest("x86_64", [new("base", url)]));
        refused.Error.ShouldBe(ServiceError.Invalid);
        refused.Message!.ShouldContain(expected);
    }

    [Fact]
    public async Task Bad_names_keys_macros_and_duplicate_repositories_are_refused()
    {
        (await PutAsync("../etc", new PutTargetRequest("x86_64", [new("base", "https://e.org/")]))).Message!.ShouldContain("is not a target name");
        (await PutAsync(new string('a', 65), new PutTargetRequest("x86_64", [new("base", "https://e.org/")]))).Error.ShouldBe(ServiceError.Invalid);
        (await PutAsync("t", new PutTargetRequest("x86_64", []))).Message!.ShouldContain("at least one repository");
        (await PutAsync("t", new PutTargetRequest("x86_64", [new("base", "https://e.org/"), new("base", "https://f.org/")]))).Message!.ShouldContain("given twice");
        (await PutAsync("t", new PutTargetRequest("x86_64", [new("base", "https://e.org/", "not a key")]))).Message!.ShouldContain("armored OpenPGP public key");
        (await PutAsync("t", new PutTargetRequest("x86_64", [new("base", "https://e.org/")], Macros: new Dictionary<string, string> { ["dist"] = ".x" }))).Message!.ShouldContain("--dist-tag");
        (await PutAsync("t", new PutTargetRequest("x86_64", [new("base", "https://e.org/")], DistTag: "oe2403"))).Message!.ShouldContain("must start with '.'");
        (await PutAsync("t", new PutTargetRequest("x86_64", [new("base", "https://e.org/")], RpmDbPath: "var/lib/rpm"))).Message!.ShouldContain("absolute path");
        (await Service(s => s.ListAsync(default))).ShouldHaveSingleItem().Name.ShouldBe("fedora-41", "nothing refused was stored");
    }

    [Fact]
    public async Task A_target_a_project_builds_for_cannot_be_deleted_and_can_once_the_project_moves_on()
    {
        (await PutAsync("oe", new PutTargetRequest("x86_64", [new("base", "https://e.org/")]))).IsSuccess.ShouldBeTrue();
        await harness.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ForgelineDbContext>();
            db.Projects.Add(new ProjectRecord { Name = "uses-it", Owner = "alice", Chroots = "openeuler-24.03-x86_64 oe", SigningKey = "k", MissingDependencies = "fail" });
            db.Projects.Add(new ProjectRecord { Name = "prefix-only", Owner = "alice", Chroots = "oe-extra-x86_64", SigningKey = "k", MissingDependencies = "fail" });
            return await db.SaveChangesAsync();
        });

        var refused = await Service(s => s.DeleteAsync("oe", default));
        refused.Error.ShouldBe(ServiceError.Conflict);
        refused.Message!.ShouldContain("uses-it");
        refused.Message!.ShouldNotContain("prefix-only", Case.Sensitive, "a chroot that only contains the name does not use the target");

        await harness.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ForgelineDbContext>();
            var project = db.Projects.Single(p => p.Name == "uses-it");
            project.Chroots = "openeuler-24.03-x86_64";
            return await db.SaveChangesAsync();
        });
        (await Service(s => s.DeleteAsync("oe", default))).IsSuccess.ShouldBeTrue();
        (await Service(s => s.GetAsync("oe", default))).Error.ShouldBe(ServiceError.NotFound);
        (await Service(s => s.DeleteAsync("oe", default))).Error.ShouldBe(ServiceError.NotFound);
    }

    [Fact]
    public async Task A_settings_target_can_be_neither_replaced_nor_deleted_through_the_api()
    {
        var replaced = await PutAsync("fedora-41", new PutTargetRequest("x86_64", [new("base", "https://e.org/")]));
        replaced.Error.ShouldBe(ServiceError.Conflict);
        replaced.Message!.ShouldContain("Forgeline:Targets:fedora-41");
        var deleted = await Service(s => s.DeleteAsync("fedora-41", default));
        deleted.Error.ShouldBe(ServiceError.Conflict);
        (await Service(s => s.GetAsync("fedora-41", default))).Value!.Arch.ShouldBe("aarch64", "still the settings' definition");
    }

    [Theory]
    [InlineData("Forgeline:Targets:bad:Arch", "x86", "Forgeline:Targets:bad: 'x86' is not an architecture")]
    [InlineData("Forgeline:Targets:bad:Repositories:base:Url", "ftp://e.org/", "Forgeline:Targets:bad:Repositories:base: repository 'base'")]
    [InlineData("Forgeline:Targets:bad:Repositories:base:GpgKeyFile", "/nonexistent/key.asc", "Forgeline:Targets:bad:Repositories:base:GpgKeyFile: cannot read")]
    public async Task A_bad_settings_target_stops_start_up_naming_the_setting(string setting, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Forgeline:Targets:bad:Arch"] = "x86_64",
            ["Forgeline:Targets:bad:Repositories:base:Url"] = "https://e.org/",
            [setting] = value,
        };
        await using var bad = await BuildsHarness.CreateAsync(DatabaseEngine.Sqlite, settings);
        var failure = await Should.ThrowAsync<OptionsValidationException>(() => bad.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<IOptions<TargetsOptions>>().Value)));
        failure.Message.ShouldContain(expected);
    }

    private Task<ServiceResult<TargetDto>> PutAsync(string name, PutTargetRequest request) => Service(s => s.PutAsync(name, request, default));

    private Task<T> Service<T>(Func<TargetService, Task<T>> action) => harness.InScopeAsync(sp => action(sp.GetRequiredService<TargetService>()));

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite() : TargetServiceTests(DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres() : TargetServiceTests(DatabaseEngine.Postgres);
}
