// bench/meetings-book: "Book" to invitation in the mailbox. A real `forgeline server` (SQLite, no worker) books on a
// fake Zoom (Kestrel on loopback) and mails Debian's aiosmtpd, which writes each message to a Maildir before it answers.
// Each round POSTs a booking with the admin token and polls the Maildir every millisecond for the invitation's
// Message-Id: booking checks, Zoom's token and create calls, the transaction, the coordinator waking and MailKit's
// send are all inside. The peer is the mail leg alone: Python's smtplib sending the same invitation file to the same
// server. 3 unreported rounds, then N. Prints RESULT lines.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forgeline.Core.Accounts;
using Forgeline.Core.Meetings;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
await using var meetings = await MeetingServer.StartAsync(new Dictionary<string, string?> { ["Forgeline__Meetings__Zoom__ConcurrentMeetings"] = "1000" });
using (var admin = meetings.Server.Client())
{
    await admin.CreateGroupAsync(new CreateGroupRequest("sig-bench"));
}

using var http = new HttpClient { BaseAddress = meetings.Server.Url };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", meetings.Server.AdminToken);
var first = DateTime.UtcNow.Date.AddDays(3);
var booked = new List<double>();
var answered = new List<double>();
string? sample = null;
for (var round = 0; round < rounds + 3; round++)
{
    var start = first.AddHours(round).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
    var clock = Stopwatch.StartNew();
    using var response = await http.PostAsJsonAsync("api/v1/meetings", new MeetingBookingRequest("sig-bench", $"Bench meeting {round}", start, "Asia/Shanghai", 30, "zoom"));
    var answer = clock.Elapsed.TotalMilliseconds;
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"booking failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    var meeting = (await response.Content.ReadFromJsonAsync<MeetingDto>())!;
    sample = await meetings.Smtp.WaitForFileAsync($"meeting-{meeting.Id}.seq0@forgeline.example", TimeSpan.FromSeconds(30));
    var mailbox = clock.Elapsed.TotalMilliseconds;
    if (round >= 3)
    {
        booked.Add(mailbox);
        answered.Add(answer);
    }
}

using var work = new TempDirectory("forgeline-bench-book");
await File.WriteAllTextAsync(work["send.py"], """
    import sys, time, json, smtplib, email, email.policy
    host, port, path, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    message = email.message_from_binary_file(open(path, 'rb'), policy=email.policy.SMTP)
    # aiosmtpd's Maildir files carry the headers it added (X-Peer, X-MailFrom, X-RcptTo): send without them.
    for added in ('X-Peer', 'X-MailFrom', 'X-RcptTo'):
        del message[added]
    times = []
    for round in range(rounds + 3):
        t = time.perf_counter()
        with smtplib.SMTP(host, port) as smtp:
            smtp.send_message(message, 'meetings@forgeline.example', ['sig-bench@lists.example.org'])
        if round >= 3: times.append((time.perf_counter() - t) * 1000)
    print(json.dumps(times))
    """);
var peer = await ProcessRunner.RunAsync("/usr/bin/python3", [work["send.py"], meetings.Smtp.Host, meetings.Smtp.Port.ToString(CultureInfo.InvariantCulture), sample!, rounds.ToString(CultureInfo.InvariantCulture)]);
if (peer.ExitCode != 0)
{
    throw new InvalidOperationException($"python3 smtplib failed: {peer.Stderr} {peer.Stdout}");
}

// The served community feed once 1,000 meetings are booked: the first GET writes it, later ones find it unchanged.
var feedMeetings = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
for (var i = booked.Count + 3; i < feedMeetings; i++)
{
    var start = first.AddDays(2).AddMinutes(5 * i).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
    using var response = await http.PostAsJsonAsync("api/v1/meetings", new MeetingBookingRequest($"sig-bench", $"Feed meeting {i}", start, "UTC", 5, "zoom"));
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"booking {i} failed: {await response.Content.ReadAsStringAsync()}");
    }
}

var feedClock = Stopwatch.StartNew();
var feedText = await http.GetStringAsync("meetings.ics");
var written = feedClock.Elapsed.TotalMilliseconds;
var served = new List<double>();
for (var i = 0; i < 20; i++)
{
    feedClock.Restart();
    if ((await http.GetStringAsync("meetings.ics")).Length != feedText.Length)
    {
        throw new InvalidOperationException("the unchanged feed changed");
    }

    served.Add(feedClock.Elapsed.TotalMilliseconds);
}

// After a change the feed is written again, now warm: one more booking, then the GET that rewrites it.
var rewritten = new List<double>();
for (var i = 0; i < 10; i++)
{
    var start = first.AddDays(2).AddMinutes(5 * (feedMeetings + i)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
    using var response = await http.PostAsJsonAsync("api/v1/meetings", new MeetingBookingRequest("sig-bench", $"Changed {i}", start, "UTC", 5, "zoom"));
    response.EnsureSuccessStatusCode();
    feedClock.Restart();
    await http.GetStringAsync("meetings.ics");
    rewritten.Add(feedClock.Elapsed.TotalMilliseconds);
}

var smtplib = JsonSerializer.Deserialize<List<double>>(peer.Stdout)!;
var median = BenchStatistics.Median(booked);
var peerMedian = BenchStatistics.Median(smtplib);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT meetings served feed ({feedMeetings} meetings, {feedText.Length / 1024} KiB, GET /meetings.ics) first (cold process) = {written:0.0} ms; rewritten after a change median = {BenchStatistics.Median(rewritten):0.0} ms; unchanged median = {BenchStatistics.Median(served):0.0} ms; peer none (the writer alone is bench/meetings-feed); goal < 100 ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT meetings book-to-mailbox ({rounds} bookings on a fake Zoom, SQLite) median = {median:0.0} ms; max = {booked.Max():0.0} ms; API answer median = {BenchStatistics.Median(answered):0.0} ms; peer python3 smtplib sending the same invitation = {peerMedian:0.0} ms; ratio {median / peerMedian:0.0}; goal < 1000 ms"));
