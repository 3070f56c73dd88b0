namespace Forgeline.Playground.Images;

internal sealed partial class ImageBuild
{
    // Arguments: (path in the image, mode, name of the content file) triples. An existing file is replaced, not written
    // through: a symlink there is the image's and stays inside it, but the file should be what the definition says.
    private const string FilesScript = $$"""
        while [ "$#" -gt 0 ]; do
          path=$1; mode=$2; content={{ImageSandbox.ExtraPath}}/$3; shift 3
          dir=${path%/*}
          if [ -n "$dir" ]; then mkdir -p "$dir"; fi
          rm -f "$path"
          cat "$content" > "$path"
          chown 0:0 "$path"
          chmod "$mode" "$path"
        done
        """;

    // Sessions run as uid 1000: a name for it makes prompts and `id` say "learner". Only shell built-ins and
    // mkdir/chown/chmod, so a small image is enough; an image that has its own user 1000 keeps it.
    private const string LearnerScript = """
        has() {
          [ -f "$2" ] || return 1
          while IFS=: read -r name rest; do
            if [ "$name" = "$1" ]; then return 0; fi
          done < "$2"
          return 1
        }
        shell=/bin/sh
        if [ -x /bin/bash ]; then shell=/bin/bash; fi
        mkdir -p /etc /home/learner
        if [ ! -f /etc/passwd ]; then echo "root:x:0:0:root:/root:$shell" > /etc/passwd; fi
        if [ ! -f /etc/group ]; then echo "root:x:0:" > /etc/group; fi
        if ! has learner /etc/passwd; then echo "learner:x:1000:1000::/home/learner:$shell" >> /etc/passwd; fi
        if ! has learner /etc/group; then echo "learner:x:1000:" >> /etc/group; fi
        chmod 0644 /etc/passwd /etc/group
        chown 1000:1000 /home/learner
        chmod 0755 /home/learner
        """;
}
