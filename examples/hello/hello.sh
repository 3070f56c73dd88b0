#!/bin/sh
echo "Hello from a package built by Forgeline"
