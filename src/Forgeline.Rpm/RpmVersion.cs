namespace Forgeline.Rpm;

/// <summary>
/// rpm's ordering of versions: <see cref="CompareVersion"/> is rpmvercmp (one version or release string),
/// <see cref="Compare"/> orders whole <c>[epoch:]version[-release]</c> strings, and <see cref="Satisfies"/> decides
/// whether a provide's range overlaps a requirement's, as rpm does when it resolves dependencies.
/// </summary>
public static class RpmVersion
{
    /// <summary>
    /// rpmvercmp: -1, 0 or 1 as <paramref name="a"/> is older than, the same as or newer than <paramref name="b"/>.
    /// Runs of digits compare as numbers and runs of letters as text; other characters only separate; a numeric run
    /// is newer than a letter run; <c>~</c> sorts before anything, even the end; <c>^</c> sorts after the end but
    /// before anything else.
    /// </summary>
    public static int CompareVersion(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && IsSeparator(a[i]))
            {
                i++;
            }

            while (j < b.Length && IsSeparator(b[j]))
            {
                j++;
            }

            var aTilde = i < a.Length && a[i] == '~';
            var bTilde = j < b.Length && b[j] == '~';
            if (aTilde || bTilde)
            {
                if (!aTilde)
                {
                    return 1;
                }

                if (!bTilde)
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            var aCaret = i < a.Length && a[i] == '^';
            var bCaret = j < b.Length && b[j] == '^';
            if (aCaret || bCaret)
            {
                // A caret is newer than the end of the other string, older than any further segment.
                if (i == a.Length)
                {
                    return -1;
                }

                if (j == b.Length)
                {
                    return 1;
                }

                if (!aCaret)
                {
                    return 1;
                }

                if (!bCaret)
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (i == a.Length || j == b.Length)
            {
                break;
            }

            var numeric = char.IsAsciiDigit(a[i]);
            var aSegment = Segment(a, ref i, numeric);
            var bSegment = Segment(b, ref j, numeric);
            if (bSegment.IsEmpty)
            {
                // The segments are of different kinds: a number is newer than letters.
                return numeric ? 1 : -1;
            }

            var order = numeric ? CompareNumbers(aSegment, bSegment) : aSegment.SequenceCompareTo(bSegment);
            if (order != 0)
            {
                return Math.Sign(order);
            }
        }

        if (i == a.Length && j == b.Length)
        {
            return 0;
        }

        // Whichever still has segments left is newer.
        return i == a.Length ? -1 : 1;
    }

    /// <summary>
    /// Orders two <c>[epoch:]version[-release]</c> strings: epochs as numbers (missing is 0), then versions, then
    /// releases with <see cref="CompareVersion"/> (a missing release is older than any release).
    /// </summary>
    public static int Compare(string a, string b)
    {
        var x = Evr.Parse(a);
        var y = Evr.Parse(b);
        var order = CompareEpochs(x.Epoch ?? "0", y.Epoch ?? "0");
        if (order == 0)
        {
            order = CompareVersion(x.Version, y.Version);
        }

        if (order == 0)
        {
            order = (x.Release, y.Release) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                var (r, s) => CompareVersion(r, s),
            };
        }

        return order;
    }

    /// <summary>
    /// Whether <paramref name="provide"/> satisfies <paramref name="require"/> as rpm decides it: same name, and the
    /// ranges overlap. An unversioned provide or requirement overlaps every range; a missing epoch counts as 0; a
    /// release is only compared when both sides have one, so <c>foo = 1.0</c> matches <c>foo = 1.0-3</c>.
    /// Rich requirements are not ranges: evaluate them with <see cref="RichDependency"/>.
    /// </summary>
    public static bool Satisfies(RpmCapability provide, RpmCapability require)
    {
        if (!string.Equals(provide.Name, require.Name, StringComparison.Ordinal))
        {
            return false;
        }

        if (provide.Operator is not { } provideOperator || require.Operator is not { } requireOperator
            || string.IsNullOrEmpty(provide.Version) || string.IsNullOrEmpty(require.Version))
        {
            return true;
        }

        var p = Sense(provideOperator);
        var r = Sense(requireOperator);
        var x = Evr.Parse(provide.Version);
        var y = Evr.Parse(require.Version);
        var order = 0;
        if (x.Epoch is { Length: > 0 } e1 && y.Epoch is { Length: > 0 } e2)
        {
            order = CompareEpochs(e1, e2);
        }
        else if (x.Epoch is { Length: > 0 } only1 && !IsZero(only1))
        {
            order = 1;
        }
        else if (y.Epoch is { Length: > 0 } only2 && !IsZero(only2))
        {
            order = -1;
        }

        if (order == 0)
        {
            order = CompareVersion(x.Version, y.Version);
            if (order == 0)
            {
                if (x.Release is { Length: > 0 } r1 && y.Release is { Length: > 0 } r2)
                {
                    order = CompareVersion(r1, r2);
                }
                else if ((x.Release is { Length: > 0 } && r.HasFlag(Senses.Equal)) || (y.Release is { Length: > 0 } && p.HasFlag(Senses.Equal)))
                {
                    // The side without a release means "any release" when it includes equality.
                    return true;
                }
            }
        }

        return order switch
        {
            < 0 => p.HasFlag(Senses.Greater) || r.HasFlag(Senses.Less),
            > 0 => p.HasFlag(Senses.Less) || r.HasFlag(Senses.Greater),
            _ => (p & r) != Senses.None,
        };
    }

    private static bool IsSeparator(char c) => !char.IsAsciiLetterOrDigit(c) && c != '~' && c != '^';

    private static ReadOnlySpan<char> Segment(string text, ref int index, bool numeric)
    {
        var start = index;
        while (index < text.Length && (numeric ? char.IsAsciiDigit(text[index]) : char.IsAsciiLetter(text[index])))
        {
            index++;
        }

        return text.AsSpan(start, index - start);
    }

    private static int CompareNumbers(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
    }

    private static int CompareEpochs(string a, string b) => CompareVersion(a, b);

    private static bool IsZero(string epoch) => epoch.AsSpan().TrimStart('0').IsEmpty;

    private static Senses Sense(string op) => op switch
    {
        "<" => Senses.Less,
        "<=" => Senses.Less | Senses.Equal,
        "=" => Senses.Equal,
        ">=" => Senses.Greater | Senses.Equal,
        ">" => Senses.Greater,
        _ => throw new ArgumentException($"'{op}' is not a version comparison; use one of <, <=, =, >=, >", nameof(op)),
    };

    [Flags]
    private enum Senses
    {
        None = 0,
        Less = 1,
        Greater = 2,
        Equal = 4,
    }

    /// <summary>An <c>[epoch:]version[-release]</c> split as rpm splits it: the epoch is leading digits before ':', the release follows the last '-'.</summary>
    private readonly record struct Evr(string? Epoch, string Version, string? Release)
    {
        public static Evr Parse(string evr)
        {
            var digits = 0;
            while (digits < evr.Length && char.IsAsciiDigit(evr[digits]))
            {
                digits++;
            }

            string? epoch = null;
            var rest = evr;
            if (digits < evr.Length && evr[digits] == ':')
            {
                epoch = digits == 0 ? "0" : evr[..digits];
                rest = evr[(digits + 1)..];
            }

            var dash = rest.LastIndexOf('-');
            return dash < 0 ? new Evr(epoch, rest, null) : new Evr(epoch, rest[..dash], rest[(dash + 1)..]);
        }
    }
}
