using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Forgeline.Core;
using System.Data.Common;
using Forgeline.Core.MessageCenter;
using Forgeline.Core.Playground;
using Forgeline.Data;
using Forgeline.Data.Outbox;
using Forgeline.Playground.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Playground.Server;

/// <summary>What the broker keeps of a session, and how a host's progress reaches it.</summary>
public sealed partial class PlaygroundBroker
{
    private sealed class Progress(PlaygroundBroker broker, Entry entry) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (broker.gate)
            {
                entry.Status = value;
                entry.Signal();
            }
        }
    }

    private sealed class Entry(string id, string environment, PlaygroundEnvironmentDefinition definition, PlaygroundCaller caller, string key, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string Environment { get; } = environment;

        public PlaygroundEnvironmentDefinition Definition { get; } = definition;

        public PlaygroundCaller Caller { get; } = caller;

        public string Key { get; } = key;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public string State { get; set; } = PlaygroundSessionStates.Queued;

        public string? Status { get; set; }

        public IPlaygroundHostClient? Host { get; set; }

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? EndedAt { get; set; }

        public string? EndReason { get; set; }

        public bool Attached { get; set; }

        // Whether it still takes room on its host: from placement until the host says it is gone (an ended session's
        // processes may take a moment to go, and the host counts it until then).
        public bool Holds { get; set; }

        public DateTimeOffset? DetachedAt { get; set; }

        public TaskCompletionSource Changed { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Signal()
        {
            var previous = Changed;
            Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            previous.TrySetResult();
        }
    }
}
