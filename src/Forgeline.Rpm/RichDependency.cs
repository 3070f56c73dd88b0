using System.Text;

namespace Forgeline.Rpm;

/// <summary>
/// A rich (boolean) dependency parsed: either one <see cref="Capability"/>, or an <see cref="Operator"/> over
/// <see cref="Operands"/>. The syntax is rpm's: <c>and</c>, <c>or</c> and <c>with</c> may repeat
/// (<c>(a or b or c)</c>); <c>if</c> and <c>unless</c> take an optional <c>else</c> (then there are three operands);
/// <c>without</c> takes two; different operators are only combined through parentheses.
/// </summary>
public sealed class RichDependency
{
    /// <summary>The operators rpm knows in rich dependencies.</summary>
    public static readonly IReadOnlySet<string> KnownOperators = new HashSet<string>(StringComparer.Ordinal) { "and", "or", "if", "unless", "with", "without", "else" };

    private RichDependency(RpmCapability? capability, string? op, IReadOnlyList<RichDependency> operands)
    {
        Capability = capability;
        Operator = op;
        Operands = operands;
    }

    /// <summary>For a leaf: the simple dependency; null for an operator node.</summary>
    public RpmCapability? Capability { get; }

    /// <summary>For a node: <c>and</c>, <c>or</c>, <c>if</c>, <c>unless</c>, <c>with</c> or <c>without</c>; null for a leaf.</summary>
    public string? Operator { get; }

    /// <summary>For a node, its operands in order (for <c>if</c>/<c>unless</c> with <c>else</c>: then, condition, else).</summary>
    public IReadOnlyList<RichDependency> Operands { get; }

    /// <summary>Parses <c>(…)</c>; throws <see cref="FormatException"/> saying what is wrong and where.</summary>
    public static RichDependency Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text.Trim());
        if (reader.Peek() != '(')
        {
            throw new FormatException($"'{text}' is not a rich dependency: it must start with '('");
        }

        var result = reader.Group();
        reader.SkipSpace();
        if (!reader.AtEnd)
        {
            throw new FormatException($"rich dependency '{text}' has text after its closing parenthesis; put the whole expression in one pair of parentheses");
        }

        return result;
    }

    /// <summary>rpm's text form with single spaces, e.g. <c>(a or (b and c &gt;= 2))</c>.</summary>
    public override string ToString()
    {
        if (Capability is not null)
        {
            return Capability.ToString();
        }

        var text = new StringBuilder("(");
        for (var i = 0; i < Operands.Count; i++)
        {
            if (i > 0)
            {
                text.Append(' ').Append(i == 2 && Operator is "if" or "unless" ? "else" : Operator).Append(' ');
            }

            text.Append(Operands[i]);
        }

        return text.Append(')').ToString();
    }

    private sealed class Reader(string text)
    {
        private int position;

        public bool AtEnd => position >= text.Length;

        public char Peek() => AtEnd ? '\0' : text[position];

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        /// <summary>Reads <c>( operand (op operand)* )</c>.</summary>
        public RichDependency Group()
        {
            position++; // '('
            var operands = new List<RichDependency> { Operand() };
            var operators = new List<string>();
            while (true)
            {
                SkipSpace();
                if (AtEnd)
                {
                    throw new FormatException($"rich dependency '{text}' is missing a closing parenthesis");
                }

                if (Peek() == ')')
                {
                    position++;
                    break;
                }

                var word = Word();
                if (!KnownOperators.Contains(word))
                {
                    throw new FormatException($"rich dependency '{text}' has '{word}' where an operator belongs; use and, or, if, unless, else, with or without");
                }

                operators.Add(word);
                operands.Add(Operand());
            }

            return Combine(operands, operators);
        }

        private RichDependency Combine(List<RichDependency> operands, List<string> operators)
        {
            if (operators.Count == 0)
            {
                return operands[0];
            }

            var first = operators[0];
            var valid = first switch
            {
                "and" or "or" or "with" => operators.All(o => o == first),
                "if" or "unless" => operators.Count == 1 || (operators.Count == 2 && operators[1] == "else"),
                "without" => operators.Count == 1,
                _ => false,
            };
            if (!valid)
            {
                throw new FormatException($"rich dependency '{text}' combines {string.Join(", ", operators.Distinct().Select(o => $"'{o}'"))} in one group; "
                    + "'else' only follows 'if' or 'unless', and other operators are mixed only through parentheses, e.g. (a or (b and c))");
            }

            return new RichDependency(null, first, operands);
        }

        private RichDependency Operand()
        {
            SkipSpace();
            if (AtEnd || Peek() == ')')
            {
                throw new FormatException($"rich dependency '{text}' ends where a dependency belongs");
            }

            if (Peek() == '(')
            {
                return Group();
            }

            var name = Name();
            if (KnownOperators.Contains(name))
            {
                throw new FormatException($"rich dependency '{text}' has the operator '{name}' where a dependency belongs");
            }

            var save = position;
            SkipSpace();
            var opStart = position;
            while (!AtEnd && Peek() is '<' or '>' or '=')
            {
                position++;
            }

            if (position == opStart)
            {
                position = save;
                return new RichDependency(new RpmCapability(name), null, []);
            }

            var op = text[opStart..position];
            var normal = RpmCapability.NormaliseOperator(op) ?? throw new FormatException($"rich dependency '{text}' has '{op}' where a comparison belongs; use one of <, <=, =, >=, >");
            SkipSpace();
            var version = Name();
            if (version.Length == 0)
            {
                throw new FormatException($"rich dependency '{text}' compares '{name}' with no version; write e.g. '{name} >= 1.0'");
            }

            return new RichDependency(new RpmCapability(name, normal, version), null, []);
        }

        /// <summary>A name runs to whitespace or to a ')' that closes nothing inside it, so <c>perl(Foo::Bar)</c> stays whole.</summary>
        private string Name()
        {
            var start = position;
            var depth = 0;
            while (!AtEnd && !char.IsWhiteSpace(Peek()))
            {
                if (Peek() == '(')
                {
                    depth++;
                }
                else if (Peek() == ')')
                {
                    if (depth == 0)
                    {
                        break;
                    }

                    depth--;
                }

                position++;
            }

            return text[start..position];
        }

        private string Word()
        {
            var start = position;
            while (!AtEnd && !char.IsWhiteSpace(Peek()) && Peek() is not '(' and not ')')
            {
                position++;
            }

            return text[start..position];
        }
    }
}
