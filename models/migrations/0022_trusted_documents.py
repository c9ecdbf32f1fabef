from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0021_sms_routes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TrustedDocument',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=71)),
                ('text', fields.TextField(unique=False)),
                ('name', fields.CharField(default='', max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'trusted_document', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One registered document, keyed by sha256 and the hex digest of its exact text.'},
            bases=['Model'],
        ),
    ]
