"""Framework-free domain logic: plain functions over plain data. Imports no Django."""
