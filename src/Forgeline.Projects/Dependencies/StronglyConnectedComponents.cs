namespace Forgeline.Projects.Dependencies;

/// <summary>Tarjan's algorithm without recursion, so a chain of any length cannot overflow the stack.</summary>
internal static class StronglyConnectedComponents
{
    /// <summary>
    /// The components of the graph whose node <c>v</c> has the successors <c>successors[v]</c>. A component is listed
    /// only after every component it reaches, so with "depends on" edges the result is a build order.
    /// </summary>
    public static List<int[]> Find(int[][] successors)
    {
        var count = successors.Length;
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var calls = new Stack<(int Node, int Next)>();
        var components = new List<int[]>();
        var counter = 0;

        for (var root = 0; root < count; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            Visit(root);
            while (calls.Count > 0)
            {
                var (node, next) = calls.Pop();
                if (next < successors[node].Length)
                {
                    calls.Push((node, next + 1));
                    var successor = successors[node][next];
                    if (index[successor] < 0)
                    {
                        Visit(successor);
                    }
                    else if (onStack[successor])
                    {
                        low[node] = Math.Min(low[node], index[successor]);
                    }

                    continue;
                }

                if (low[node] == index[node])
                {
                    var members = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        members.Add(member);
                    }
                    while (member != node);
                    members.Sort();
                    components.Add([.. members]);
                }

                if (calls.Count > 0)
                {
                    var caller = calls.Peek().Node;
                    low[caller] = Math.Min(low[caller], low[node]);
                }
            }
        }

        return components;

        void Visit(int node)
        {
            index[node] = low[node] = counter++;
            stack.Push(node);
            onStack[node] = true;
            calls.Push((node, 0));
        }
    }
}
