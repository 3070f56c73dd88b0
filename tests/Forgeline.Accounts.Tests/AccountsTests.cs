using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Accounts.Tests;

/// <summary>Users made at first sign-in, groups kept in step with the provider, sessions, personal tokens and CLI login codes, on each engine.</summary>
public abstract class AccountsTests(DatabaseEngine engine) : IAsyncLifetime
{
    private AccountsHarness h = null!;

    public async Task InitializeAsync() => h = await AccountsHarness.CreateAsync(engine);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_first_sign_in_makes_the_user_and_later_ones_find_them_by_subject_even_after_a_rename()
    {
        var first = await h.SignIn.SignInAsync(new ProviderIdentity("sso", "sub-1", "alice", "alice@example.org", "Alice A.", ["sig-release"]), default);
        first.IsSuccess.ShouldBeTrue();
        var again = await h.SignIn.SignInAsync(new ProviderIdentity("sso", "sub-1", "alice-renamed", "a2@example.org", null, ["sig-release"]), default);
        again.Value!.Id.ShouldBe(first.Value!.Id);
        again.Value.Name.ShouldBe("alice");
        again.Value.Email.ShouldBe("a2@example.org");
        (await h.Directory.KindOfAsync("alice", default)).ShouldBe(PrincipalKind.User);
        (await h.Directory.KindOfAsync("sig-release", default)).ShouldBe(PrincipalKind.Group);
        (await h.Directory.KindOfAsync("nobody", default)).ShouldBe(PrincipalKind.Unknown);
    }

    [Fact]
    public async Task Provider_groups_follow_the_claim_while_memberships_an_admin_made_stay()
    {
        var user = (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "s", "bob", null, null, ["sig-a", "sig-b"]), default)).Value!;
        (await h.Groups.CreateGroupAsync(new CreateGroupRequest("release-team"), "admin", default)).IsSuccess.ShouldBeTrue();
        (await h.Groups.AddMemberAsync("release-team", "bob", "admin", default)).IsSuccess.ShouldBeTrue();

        await h.SignIn.SignInAsync(new ProviderIdentity("sso", "s", "bob", null, null, ["sig-b", "sig-c", "not a valid name!"]), default);

        var account = (await h.Directory.AccountAsync(user.Id, default))!;
        account.Groups.ShouldBe(["release-team", "sig-b", "sig-c"]);
    }

    [Fact]
    public async Task The_admin_group_makes_an_admin_and_leaving_it_ends_that_at_once()
    {
        var user = (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "s", "carol", null, null, [h.Options.AdminGroup]), default)).Value!;
        (await h.Directory.AccountAsync(user.Id, default))!.IsAdmin.ShouldBeTrue();
        await h.SignIn.SignInAsync(new ProviderIdentity("sso", "s", "carol", null, null, []), default);
        (await h.Directory.AccountAsync(user.Id, default))!.IsAdmin.ShouldBeFalse();
    }

    [Fact]
    public async Task A_name_taken_by_a_group_or_another_providers_user_gets_the_providers_suffix()
    {
        await h.Groups.CreateGroupAsync(new CreateGroupRequest("dave"), "admin", default);
        (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "1", "dave", null, null, null), default)).Value!.Name.ShouldBe("dave-sso");
        (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "2", "erin", null, null, null), default)).Value!.Name.ShouldBe("erin");
        (await h.SignIn.SignInAsync(new ProviderIdentity("forge", "2", "erin", null, null, null), default)).Value!.Name.ShouldBe("erin-forge");
    }

    [Fact]
    public async Task A_user_an_admin_made_is_linked_at_the_first_sign_in_only_by_providers_that_may_link()
    {
        var made = await h.Groups.CreateUserAsync(new CreateUserRequest("frank"), "admin", default);
        made.IsSuccess.ShouldBeTrue();
        var fromForge = await h.SignIn.SignInAsync(new ProviderIdentity("forge", "x", "frank", null, null, null), default);
        fromForge.Value!.Name.ShouldBe("frank-forge");
        var fromSso = await h.SignIn.SignInAsync(new ProviderIdentity("sso", "y", "frank", null, null, null), default);
        fromSso.Value!.Name.ShouldBe("frank");
        // Once linked, a second sso account with the same name does not take it over.
        (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "z", "frank", null, null, null), default)).Value!.Name.ShouldBe("frank-sso");
    }

    [Fact]
    public async Task Names_from_providers_are_made_safe_and_fall_back_to_the_email_then_the_subject()
    {
        ProviderSignIn.NameFrom(new ProviderIdentity("p", "s", "José Müller", null, null, null)).ShouldBe("Jos--M-ller");
        ProviderSignIn.NameFrom(new ProviderIdentity("p", "s", " ", "g.h@example.org", null, null)).ShouldBe("g.h");
        ProviderSignIn.NameFrom(new ProviderIdentity("p", "abc123", null, null, null, null)).ShouldBe("abc123");
        ProviderSignIn.NameFrom(new ProviderIdentity("p", "s", "../../etc", null, null, null)).ShouldBe("etc");
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_their_sessions_and_account_stop_at_once()
    {
        var user = (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "s", "gina", null, null, null), default)).Value!;
        var (secret, _) = await h.Sessions.StartAsync(user.Id, "sso", default);
        (await h.Sessions.UserOfAsync(secret, default)).ShouldBe(user.Id);
        (await h.Groups.SetDisabledAsync("gina", true, "admin", default)).IsSuccess.ShouldBeTrue();
        (await h.Directory.AccountAsync(user.Id, default)).ShouldBeNull();
        var refused = await h.SignIn.SignInAsync(new ProviderIdentity("sso", "s", "gina", null, null, null), default);
        refused.Error.ShouldBe(ServiceError.Forbidden);
        refused.Message!.ShouldContain("disabled");
    }

    [Fact]
    public async Task A_session_ends_at_sign_out_and_at_expiry_and_a_made_up_cookie_value_finds_nothing()
    {
        var user = (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "s", "hank", null, null, null), default)).Value!;
        var (first, expires) = await h.Sessions.StartAsync(user.Id, "sso", default);
        expires.ShouldBe(h.Time.GetUtcNow().AddHours(h.Options.SessionHours));
        var (second, _) = await h.Sessions.StartAsync(user.Id, "sso", default);

        await h.Sessions.EndAsync(first, default);
        (await h.Sessions.UserOfAsync(first, default)).ShouldBeNull();
        (await h.Sessions.UserOfAsync(second, default)).ShouldBe(user.Id);

        h.Time.Advance(TimeSpan.FromHours(h.Options.SessionHours) + TimeSpan.FromSeconds(1));
        (await h.Sessions.UserOfAsync(second, default)).ShouldBeNull();
        (await h.Sessions.UserOfAsync(second[..^1] + "x", default)).ShouldBeNull();
        (await h.Sessions.UserOfAsync("not-a-session", default)).ShouldBeNull();

        (await h.Db.UserSessions.AnyAsync(s => s.Hash == second)).ShouldBeFalse("only the hash of a session secret is stored");
    }

    [Fact]
    public async Task Personal_tokens_are_stored_hashed_under_their_users_name_and_revoked_only_by_that_user()
    {
        var ivy = (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "1", "ivy", null, null, null), default)).Value!;
        var jack = (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "2", "jack", null, null, null), default)).Value!;
        var (token, secret) = await h.Tokens.CreateAsync(TokenService.PersonalName("ivy", "laptop"), ["build"], default, userId: ivy.Id);
        token.Name.ShouldBe("ivy:laptop");
        (await h.Db.ApiTokens.AnyAsync(t => t.Hash == secret)).ShouldBeFalse();
        (await h.Tokens.FindAsync(secret, default))!.UserId.ShouldBe(ivy.Id);

        (await h.Tokens.RevokeAsync("ivy:laptop", default, jack.Id)).ShouldBeFalse();
        (await h.Tokens.ListAsync(jack.Id, default)).ShouldBeEmpty();
        (await h.Tokens.RevokeAsync("ivy:laptop", default, ivy.Id)).ShouldBeTrue();
        (await h.Tokens.FindAsync(secret, default)).ShouldBeNull();
    }

    [Fact]
    public async Task A_login_code_gives_one_token_only_with_the_right_verifier_and_only_once_and_not_after_it_expired()
    {
        var kim = (await h.SignIn.SignInAsync(new ProviderIdentity("sso", "1", "kim", null, null, null), default)).Value!;
        var verifier = "v" + new string('x', 50);
        var challenge = Pkce.ChallengeOf(verifier);

        var code = await h.Codes.IssueAsync(kim.Id, challenge, "cli-box", default);
        (await h.Codes.ExchangeAsync(code, verifier + "y", default)).Error.ShouldBe(ServiceError.Unauthorized);
        var exchanged = await h.Codes.ExchangeAsync(code, verifier, default);
        exchanged.IsSuccess.ShouldBeTrue();
        exchanged.Value.Name.ShouldBe("kim:cli-box");
        exchanged.Value.User.ShouldBe("kim");
        (await h.Tokens.FindAsync(exchanged.Value.Secret, default))!.UserId.ShouldBe(kim.Id);
        (await h.Codes.ExchangeAsync(code, verifier, default)).Error.ShouldBe(ServiceError.Unauthorized);

        var late = await h.Codes.IssueAsync(kim.Id, challenge, "cli-box", default);
        h.Time.Advance(TimeSpan.FromSeconds(h.Options.LoginCodeSeconds + 1));
        (await h.Codes.ExchangeAsync(late, verifier, default)).Error.ShouldBe(ServiceError.Unauthorized);

        var second = await h.Codes.IssueAsync(kim.Id, challenge, "cli-box", default);
        (await h.Codes.ExchangeAsync(second, verifier, default)).Value.Name.ShouldBe("kim:cli-box-2");
    }

    [Fact]
    public async Task Group_commands_refuse_unknown_names_taken_names_and_bad_names_with_what_to_do()
    {
        (await h.Groups.CreateGroupAsync(new CreateGroupRequest("../x"), "admin", default)).Error.ShouldBe(ServiceError.Invalid);
        await h.Groups.CreateGroupAsync(new CreateGroupRequest("sig-x"), "admin", default);
        (await h.Groups.CreateGroupAsync(new CreateGroupRequest("sig-x"), "admin", default)).Error.ShouldBe(ServiceError.Conflict);
        (await h.Groups.CreateUserAsync(new CreateUserRequest("sig-x"), "admin", default)).Error.ShouldBe(ServiceError.Conflict);
        var missing = await h.Groups.AddMemberAsync("sig-x", "nobody", "admin", default);
        missing.Error.ShouldBe(ServiceError.NotFound);
        missing.Message!.ShouldContain("forgeline user create nobody");
        (await h.Groups.AddMemberAsync("sig-y", "nobody", "admin", default)).Message!.ShouldContain("forgeline group create sig-y");
        (await h.Groups.DeleteGroupAsync("sig-x", "admin", default)).IsSuccess.ShouldBeTrue();
        (await h.Directory.KindOfAsync("sig-x", default)).ShouldBe(PrincipalKind.Unknown);
    }

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite() : AccountsTests(DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres() : AccountsTests(DatabaseEngine.Postgres);
}
