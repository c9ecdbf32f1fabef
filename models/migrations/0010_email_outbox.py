from tortoise import migrations
from tortoise.migrations import operations as ops
from models.outbox import OutboxStatus
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0009_passkeys_and_payor_keys')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('event', fields.CharField(max_length=64)),
                ('recipient', fields.CharField(max_length=320)),
                ('subject', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=OutboxStatus.PENDING, description='PENDING: pending\nSENT: sent\nFAILED: failed', enum_type=OutboxStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.CharField(null=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('next_attempt_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('claim', fields.CharField(null=True, max_length=32)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'email_outbox', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One email. A sender claims it by setting `claim` and `claimed_until` with a conditional'},
            bases=['Model'],
        ),
    ]
